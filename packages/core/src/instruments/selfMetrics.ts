import type { Attributes, Meter } from '@opentelemetry/api';
import { refusedValuesMetricName, type RefusalReporter } from '../guard/refusalReporter';

/** Tally of pushes that failed, per exporter; read by the `bizmetrics_export_failures` self-metric. */
export class ExportFailureTally {
  private readonly byExporter = new Map<string, { attributes: Attributes; exports: number; dataPoints: number }>();

  /** Counts one failed export of `dataPoints` points. */
  record(exporter: string, dataPoints: number): void {
    let entry = this.byExporter.get(exporter);
    if (entry === undefined) {
      entry = { attributes: Object.freeze({ exporter }), exports: 0, dataPoints: 0 };
      this.byExporter.set(exporter, entry);
    }
    entry.exports += 1;
    entry.dataPoints += dataPoints;
  }

  /** Failed exports so far (all exporters). */
  get failedExports(): number {
    let sum = 0;
    for (const entry of this.byExporter.values()) sum += entry.exports;
    return sum;
  }

  /** Data points that could not be delivered so far (all exporters). */
  get failedDataPoints(): number {
    let sum = 0;
    for (const entry of this.byExporter.values()) sum += entry.dataPoints;
    return sum;
  }

  entries(): Iterable<{ attributes: Attributes; exports: number; dataPoints: number }> {
    return this.byExporter.values();
  }
}

/**
 * Registers the SDK's own health metrics: `bizmetrics_refused_values_total{metric,reason}`,
 * `bizmetrics_export_failures_total{exporter}` and `bizmetrics_export_failed_data_points_total{exporter}`.
 */
export function registerSelfMetrics(meter: Meter, refusals: RefusalReporter, exportFailures: ExportFailureTally): void {
  meter
    .createObservableCounter(refusedValuesMetricName, {
      description: 'Values bizmetrics did not record as given, by metric and reason',
      unit: '{value}',
    })
    .addCallback((result) => {
      for (const count of refusals.snapshot()) result.observe(count.value, count.attributes);
    });
  const failures = meter.createObservableCounter('bizmetrics_export_failures', {
    description: 'Metric exports that failed, by exporter',
    unit: '{export}',
  });
  const failedPoints = meter.createObservableCounter('bizmetrics_export_failed_data_points', {
    description: 'Data points in exports that failed, by exporter',
    unit: '{data_point}',
  });
  meter.addBatchObservableCallback(
    (result) => {
      for (const entry of exportFailures.entries()) {
        result.observe(failures, entry.exports, entry.attributes);
        result.observe(failedPoints, entry.dataPoints, entry.attributes);
      }
    },
    [failures, failedPoints],
  );
}
