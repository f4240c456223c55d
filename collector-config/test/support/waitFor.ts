/** Options of `waitFor`. */
export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Called on timeout to add context (e.g. a log tail) to the error. */
  diagnostics?: () => string;
  /** Checked before each try: a message means waiting is pointless (e.g. the process exited), so fail now. */
  failIf?: () => string | undefined;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` until it returns something other than `undefined`/`false` and returns that.
 * Errors thrown by the probe count as "not yet"; the last one is reported on timeout.
 */
export async function waitFor<T>(description: string, probe: () => Promise<T | undefined | false>, options: WaitOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30000;
  const intervalMs = options.intervalMs ?? 200;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  let lastValue: unknown;
  for (;;) {
    const fatal = options.failIf?.();
    if (fatal !== undefined) {
      throw new Error(`gave up waiting for ${description}: ${fatal}${options.diagnostics ? `\n${options.diagnostics()}` : ''}`);
    }
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      lastValue = value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const reason = lastError instanceof Error ? lastError.message : lastError === undefined ? `last result ${String(lastValue)}` : String(lastError);
      const extra = options.diagnostics ? `\n${options.diagnostics()}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${description} (${reason})${extra}`);
    }
    await sleep(intervalMs);
  }
}

/** Resolves once `url` answers 2xx. */
export async function waitForHttpOk(url: string, description: string, options: WaitOptions = {}): Promise<void> {
  await waitFor(
    description,
    async () => {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      return response.ok;
    },
    options,
  );
}
