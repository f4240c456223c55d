import type { Agent } from 'node:http';
import { diag } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import type { AggregationTemporality, InstrumentType, PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';

/** How long `shutdown()` waits for the last push by default: well inside a container's 10 s SIGTERM grace. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MILLIS = 3000;

/** Options of `shutdown()`. */
export interface ShutdownOptions {
  /**
   * Longest time to wait for the final flush. Past it, pushes still in flight are abandoned (their
   * connections closed), counted in the result and logged once; the promise resolves, never rejects.
   * @default 3000
   */
  timeoutMillis?: number;
}

/** What `shutdown()` reports. */
export interface ShutdownResult {
  /** `true` when every exporter flushed and stopped within the time limit. */
  readonly completed: boolean;
  /** Data points of pushes still in flight at the time limit: recorded but never delivered. */
  readonly unflushedDataPoints: number;
  /** Time the shutdown took. */
  readonly elapsedMillis: number;
}

const EXPORT_ABANDONED_CODE = 'ERR_BIZMETRICS_EXPORT_ABANDONED';

/** The error an abandoned push ends with; its code is not one the OTLP exporter retries. */
export class ExportAbandonedError extends Error {
  override readonly name = 'ExportAbandonedError';
  readonly code = EXPORT_ABANDONED_CODE;
}

function countDataPoints(metrics: ResourceMetrics): number {
  let points = 0;
  for (const scope of metrics.scopeMetrics) for (const metric of scope.metrics) points += metric.dataPoints.length;
  return points;
}

/** Data points handed to an exporter whose result has not come back yet. */
export class PendingExports {
  private points = 0;

  get dataPoints(): number {
    return this.points;
  }

  /** `exporter`, reporting each push here until its result arrives. */
  track(exporter: PushMetricExporter): PushMetricExporter {
    return {
      export: (metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void) => {
        const points = countDataPoints(metrics);
        this.points += points;
        let settled = false;
        exporter.export(metrics, (result) => {
          if (!settled) {
            settled = true;
            this.points -= points;
          }
          resultCallback(result);
        });
      },
      forceFlush: () => exporter.forceFlush(),
      shutdown: () => exporter.shutdown(),
      selectAggregationTemporality: (type: InstrumentType): AggregationTemporality =>
        exporter.selectAggregationTemporality?.(type) as AggregationTemporality,
    };
  }
}

/**
 * HTTP agents for an exporter that can be cut off: `abandon()` destroys the sockets in use with an
 * error the exporter does not retry, and makes every later connection fail the same way at once.
 * The OTLP exporter has no cancellation of its own; without this a hanging backend keeps a request
 * (and so the process) alive for the whole export timeout after shutdown gave up on it.
 */
export class AbandonableConnections {
  private readonly agents: Agent[] = [];
  private abandoned = false;
  private lastAttempt = false;

  /** `httpAgentOptions` of the OTLP exporter (an agent factory). */
  readonly agentFactory = async (protocol: string): Promise<Agent> => {
    // Loaded lazily, as the exporter's docs ask, so an http instrumentation can patch the module first.
    const BaseAgent: typeof Agent = protocol === 'https:' ? (await import('node:https')).Agent : (await import('node:http')).Agent;
    const isAbandoned = (): boolean => this.abandoned;
    const isLastAttempt = (): boolean => this.lastAttempt;
    class AbandonableAgent extends BaseAgent {
      // After abandon(), a retry the exporter scheduled fails at once instead of connecting.
      override createConnection(...args: Parameters<Agent['createConnection']>): ReturnType<Agent['createConnection']> {
        const socket = super.createConnection(...args);
        if (isAbandoned()) process.nextTick(() => socket?.destroy(new ExportAbandonedError('bizmetrics: exporter shut down')));
        // During shutdown a refused or reset connection is final: the exporter's backoff (1 s, 1.5 s, ...)
        // cannot succeed within the shutdown budget, and its timer would hold the process up. The
        // exporter retries by error code, so the code is what changes.
        else if (isLastAttempt()) {
          socket?.once('error', (error: NodeJS.ErrnoException) => {
            error.code = EXPORT_ABANDONED_CODE;
          });
        }
        return socket;
      }
    }
    const agent = new AbandonableAgent({ keepAlive: true });
    this.agents.push(agent);
    return agent;
  };

  /** From now on a connection error ends the push instead of scheduling a retry. */
  noRetries(): void {
    this.lastAttempt = true;
  }

  /** Ends every request in flight and refuses new ones. */
  abandon(): void {
    this.abandoned = true;
    for (const agent of this.agents) {
      for (const sockets of Object.values(agent.sockets)) {
        for (const socket of sockets ?? []) socket.destroy(new ExportAbandonedError('bizmetrics: push abandoned at shutdown'));
      }
      agent.destroy();
    }
  }
}

/** What a bounded shutdown needs from the runtime. */
export interface BoundedShutdownParts {
  /** Flushes and stops the provider; may take as long as the backend lets it. */
  stop(): Promise<void>;
  /** Pushes in flight, if there is a push exporter. */
  readonly pending?: PendingExports;
  /** Its connections, if there is a push exporter. */
  readonly connections?: AbandonableConnections;
  /** Failed pushes so far: what failed during the shutdown counts as not flushed too. */
  readonly failures?: { readonly failedDataPoints: number };
  /** Where the pushes go, for the log line. */
  readonly target?: string;
}

/**
 * Runs `parts.stop()` for at most `timeoutMillis`. Past the limit it abandons the pushes in
 * flight, logs once through the diag logger how many data points were lost, and resolves.
 */
export async function shutdownWithin(parts: BoundedShutdownParts, options: ShutdownOptions = {}): Promise<ShutdownResult> {
  const timeoutMillis = options.timeoutMillis ?? DEFAULT_SHUTDOWN_TIMEOUT_MILLIS;
  if (!Number.isFinite(timeoutMillis) || timeoutMillis < 0) {
    throw new RangeError(`bizmetrics: shutdown timeoutMillis must be a finite number >= 0, got ${String(timeoutMillis)}`);
  }
  const started = performance.now();
  parts.connections?.noRetries();
  const failedBefore = parts.failures?.failedDataPoints ?? 0;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMillis);
  });
  const stopped = parts.stop().then(
    () => 'stopped' as const,
    (error: unknown) => {
      diag.warn(`bizmetrics: shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
      return 'stopped' as const;
    },
  );
  const outcome = await Promise.race([stopped, deadline]);
  clearTimeout(timer);
  // Pushes still waiting now will never be delivered; pushes that failed meanwhile were not either.
  const inFlight = parts.pending?.dataPoints ?? 0;
  const unflushedDataPoints = inFlight + (parts.failures?.failedDataPoints ?? 0) - failedBefore;
  const completed = outcome === 'stopped' && unflushedDataPoints === 0;
  if (inFlight > 0 || outcome === 'timeout') parts.connections?.abandon();
  if (!completed) {
    diag.warn(
      `bizmetrics: shutdown ${outcome === 'timeout' ? `gave up after ${timeoutMillis} ms` : 'finished'}; ${unflushedDataPoints} data point(s) were not delivered` +
        (parts.target === undefined ? '' : ` to ${parts.target}`) +
        (outcome === 'timeout' ? '; the backend did not answer in time (raise shutdown({ timeoutMillis }) if it needs longer)' : '') +
        '; they are counted in bizmetrics_export_failed_data_points_total where the export failed.',
    );
  }
  return { completed, unflushedDataPoints, elapsedMillis: Math.round(performance.now() - started) };
}
