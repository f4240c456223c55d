import { diag, type Attributes, type MeterProvider } from '@opentelemetry/api';
import { redisOperations, type RedisOperation } from './redisOperation';

interface OperationTally {
  readonly attributes: Attributes;
  errors: number;
  dropped: number;
}

/**
 * Failure tallies of the Redis stores and their self-metrics:
 * `bizmetrics_redis_errors_total{operation}` (commands or connections that failed; a failed command
 * is retried from the buffer unless Redis refused it), `bizmetrics_redis_dropped_total{operation}`
 * (commands dropped, because the buffer was full or Redis refused them) and
 * `bizmetrics_redis_buffered_commands` (commands waiting for Redis). Each problem is logged once
 * through the OpenTelemetry diag logger, then only counted.
 */
export class RedisStoreHealth {
  private readonly tallies = new Map<RedisOperation, OperationTally>(
    redisOperations.map((operation) => [operation, { attributes: Object.freeze({ operation }), errors: 0, dropped: 0 }]),
  );
  private readonly logged = new Set<string>();
  private readonly observed = new Set<MeterProvider>();

  constructor(private readonly buffered: () => number) {}

  /** Counts a failure of `operation` and logs the first one of its kind. */
  error(operation: RedisOperation, error: unknown): void {
    this.tally(operation).errors++;
    this.logOnce(`error:${operation}`, () => `bizmetrics: Redis ${operation} failed (${describe(error)}); state stays in the local buffer and is retried. Further failures are counted in bizmetrics_redis_errors_total{operation="${operation}"} without logging.`);
  }

  /** Counts a dropped command and logs the first drop of each reason. */
  dropped(operation: RedisOperation, reason: string): void {
    this.tally(operation).dropped++;
    this.logOnce(`dropped:${reason}`, () => `bizmetrics: Redis ${operation} dropped: ${reason}. Further drops are counted in bizmetrics_redis_dropped_total without logging.`);
  }

  /** Errors of one operation (or all) so far. */
  errors(operation?: RedisOperation): number {
    return this.sum((tally, name) => (operation === undefined || operation === name ? tally.errors : 0));
  }

  /** Dropped commands of one operation (or all) so far. */
  droppedCount(operation?: RedisOperation): number {
    return this.sum((tally, name) => (operation === undefined || operation === name ? tally.dropped : 0));
  }

  /** Registers the self-metrics on `meterProvider` once (both stores share one health). */
  observe(meterProvider: MeterProvider): void {
    if (this.observed.has(meterProvider)) return;
    this.observed.add(meterProvider);
    const meter = meterProvider.getMeter('bizmetrics', '0.1.0');
    const errors = meter.createObservableCounter('bizmetrics_redis_errors', {
      description: 'Redis commands or connections of the bizmetrics stores that failed, by operation',
      unit: '{error}',
    });
    const dropped = meter.createObservableCounter('bizmetrics_redis_dropped', {
      description: 'Redis commands of the bizmetrics stores dropped (buffer full or refused by Redis), by operation',
      unit: '{command}',
    });
    const buffered = meter.createObservableGauge('bizmetrics_redis_buffered_commands', {
      description: 'Commands of the bizmetrics stores waiting in the local buffer for Redis',
      unit: '{command}',
    });
    meter.addBatchObservableCallback(
      (result) => {
        for (const tally of this.tallies.values()) {
          result.observe(errors, tally.errors, tally.attributes);
          result.observe(dropped, tally.dropped, tally.attributes);
        }
        result.observe(buffered, this.buffered());
      },
      [errors, dropped, buffered],
    );
  }

  /** Logs `message` the first time `kind` happens. */
  logOnce(kind: string, message: () => string): void {
    if (this.logged.has(kind)) return;
    this.logged.add(kind);
    diag.warn(message());
  }

  private tally(operation: RedisOperation): OperationTally {
    return this.tallies.get(operation) as OperationTally;
  }

  private sum(pick: (tally: OperationTally, name: RedisOperation) => number): number {
    let total = 0;
    for (const [name, tally] of this.tallies) total += pick(tally, name);
    return total;
  }
}

export function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
