import type { IngestRejection } from '../telemetry/adapterTelemetry';

/** A refused ingest request: the status, the counted reason, and a message naming the problem. */
export class IngestError extends Error {
  override readonly name = 'IngestError';
  constructor(
    readonly status: number,
    readonly reason: IngestRejection,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}
