/** What went wrong, so scripts can branch on it without parsing the message. */
export type CorrelateErrorCode =
  | 'invalid-option'
  | 'unreachable'
  | 'timeout'
  | 'http'
  | 'promql'
  | 'several-series'
  | 'no-data'
  | 'too-few-points'
  | 'too-little-history'
  | 'constant-series';

/**
 * A failure the user can fix. The message is one line: what happened, then what to do about it.
 */
export class CorrelateError extends Error {
  override readonly name = 'CorrelateError';

  constructor(
    readonly code: CorrelateErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
