import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { AggregationTemporalityPreference, OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import {
  AggregationTemporality,
  PeriodicExportingMetricReader,
  type AggregationOption,
  type InstrumentType,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { ExportFailureTally } from '../selfMetrics/exportFailures';
import type { BoundHistograms } from './boundHistogramExport';
import { cardinalityLimitsFor } from '../views/sdkCardinalityLimit';

/** OTLP/HTTP push export (to a collector, Datadog, Grafana Cloud, ...). */
export interface OtlpOptions {
  /** Metrics endpoint. @default process.env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT ?? 'http://localhost:4318/v1/metrics' */
  url?: string;
  /** Extra HTTP headers, e.g. `{ 'dd-api-key': process.env.DD_API_KEY }`. */
  headers?: Record<string, string>;
  /** How often to push. @default 60000 */
  exportIntervalMillis?: number;
  /** Give up on one push after this long. @default 30000 */
  exportTimeoutMillis?: number;
  /**
   * `delta` for backends that want deltas (Datadog), `cumulative` for Prometheus-style backends.
   * @default 'cumulative'
   */
  temporality?: 'delta' | 'cumulative';
}

function countDataPoints(metrics: ResourceMetrics): number {
  let points = 0;
  for (const scope of metrics.scopeMetrics) for (const metric of scope.metrics) points += metric.dataPoints.length;
  return points;
}

/**
 * Wraps an exporter so that a failed push is counted (`bizmetrics_export_failed_data_points_total`)
 * and logged once, instead of vanishing into the global error handler. Everything the wrapped
 * exporter selects (temporality, aggregation) is forwarded, so the reader behaves as with it alone.
 */
export class CountingMetricExporter implements PushMetricExporter {
  /** Present exactly when the wrapped exporter has them: a reader then falls back to its defaults as it would. */
  readonly selectAggregationTemporality?: (instrumentType: InstrumentType) => AggregationTemporality;
  readonly selectAggregation?: (instrumentType: InstrumentType) => AggregationOption;

  constructor(
    private readonly inner: PushMetricExporter,
    private readonly exporterName: string,
    private readonly failures: ExportFailureTally,
  ) {
    if (inner.selectAggregationTemporality !== undefined) this.selectAggregationTemporality = inner.selectAggregationTemporality.bind(inner);
    if (inner.selectAggregation !== undefined) this.selectAggregation = inner.selectAggregation.bind(inner);
  }

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    this.inner.export(metrics, (result) => {
      if (result.code !== ExportResultCode.SUCCESS) {
        this.failures.record(this.exporterName, countDataPoints(metrics), result.error?.message ?? 'unknown error');
      }
      resultCallback(result);
    });
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}

/**
 * A periodic OTLP/HTTP reader whose failures are counted; it also exports `boundHistograms`, with
 * its temporality, and never overflows below `cardinalityLimit` (our own cap decides).
 */
export function createOtlpReader(
  options: OtlpOptions,
  failures: ExportFailureTally,
  cardinalityLimit: number,
  boundHistograms?: BoundHistograms,
): PeriodicExportingMetricReader {
  const delta = options.temporality === 'delta';
  const exporter = new OTLPMetricExporter({
    url: options.url ?? process.env['OTEL_EXPORTER_OTLP_METRICS_ENDPOINT'] ?? 'http://localhost:4318/v1/metrics',
    headers: options.headers ?? {},
    temporalityPreference: delta ? AggregationTemporalityPreference.DELTA : AggregationTemporalityPreference.CUMULATIVE,
    timeoutMillis: options.exportTimeoutMillis ?? 30000,
  });
  const exportIntervalMillis = options.exportIntervalMillis ?? 60000;
  return new PeriodicExportingMetricReader({
    exporter: new CountingMetricExporter(exporter, 'otlp', failures),
    exportIntervalMillis,
    exportTimeoutMillis: Math.min(options.exportTimeoutMillis ?? 30000, exportIntervalMillis),
    cardinalityLimits: cardinalityLimitsFor(cardinalityLimit),
    ...(boundHistograms === undefined
      ? {}
      : { metricProducers: [boundHistograms.producer(delta ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE)] }),
  });
}
