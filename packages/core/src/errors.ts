/** Thrown at set-up when configuration is wrong; the message says what to change. */
export class BusinessMetricsConfigError extends Error {
  override readonly name = 'BusinessMetricsConfigError';
}

/** Thrown at record time in strict mode only; outside strict mode the value is dropped and counted. */
export class RefusedValueError extends Error {
  override readonly name = 'RefusedValueError';
  constructor(
    readonly metric: string,
    readonly reason: string,
    detail: string,
  ) {
    super(`bizmetrics refused a value for ${metric} (${reason}): ${detail}`);
  }
}
