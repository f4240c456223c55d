/**
 * Delay before retry number `attempt` (1-based): exponential, capped, with "equal jitter" so that
 * many tabs failing at once do not retry in lockstep, yet no retry fires immediately.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return ceiling / 2 + (random() * ceiling) / 2;
}
