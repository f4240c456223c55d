/** Options of `waitUntil`. */
export interface WaitUntilOptions {
  /** Give up after this long. @default 30000 */
  timeoutMs?: number;
  /** Pause between attempts. @default 100 */
  intervalMs?: number;
  /** What is awaited, for the timeout message. */
  description?: string;
}

/**
 * Polls `probe` until it returns something other than `undefined`/`false` and resolves with it.
 * Errors thrown by the probe count as "not yet"; the last one is quoted if the wait times out.
 */
export async function waitUntil<T>(probe: () => T | Promise<T>, options: WaitUntilOptions = {}): Promise<Exclude<T, false | undefined>> {
  const timeoutMs = options.timeoutMs ?? 30000;
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const result = await probe();
      if (result !== undefined && result !== false) return result as Exclude<T, false | undefined>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`waitUntil: timed out after ${timeoutMs} ms waiting for ${options.description ?? 'a condition'}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
