/** Options of `waitUntil`. */
export interface WaitUntilOptions {
  /** Give up after this long. @default 30000 */
  readonly timeoutMs?: number;
  /** Pause between attempts. @default 100 */
  readonly intervalMs?: number;
  /** What is awaited, for the timeout message. */
  readonly description?: string;
  /** Checked before each try: a message means waiting is pointless (e.g. the process exited), so fail now. */
  readonly failIf?: () => string | undefined;
  /** Called on failure to add context (e.g. a log tail) to the error. */
  readonly diagnostics?: () => string;
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` until it returns something other than `undefined`/`false` and resolves with it.
 * Errors thrown by the probe count as "not yet"; the last one (or the last result) is quoted if the
 * wait times out, so a failing test says what it saw.
 */
export async function waitUntil<T>(probe: () => T | Promise<T>, options: WaitUntilOptions = {}): Promise<Exclude<T, false | undefined>> {
  const timeoutMs = options.timeoutMs ?? 30000;
  const intervalMs = options.intervalMs ?? 100;
  const description = options.description ?? 'a condition';
  const extra = (): string => (options.diagnostics ? `\n${options.diagnostics()}` : '');
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  let lastValue: unknown;
  for (;;) {
    const fatal = options.failIf?.();
    if (fatal !== undefined) throw new Error(`waitUntil: gave up waiting for ${description}: ${fatal}${extra()}`);
    try {
      const result = await probe();
      if (result !== undefined && result !== false) return result as Exclude<T, false | undefined>;
      lastValue = result;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const reason = lastError instanceof Error ? `last error: ${lastError.message}` : `last result: ${String(lastValue)}`;
      throw new Error(`waitUntil: timed out after ${timeoutMs} ms waiting for ${description} (${reason})${extra()}`);
    }
    await sleep(intervalMs);
  }
}
