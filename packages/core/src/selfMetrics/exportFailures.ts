import { SelfCounter } from './selfCounter';

/** Pushes that failed, per exporter: `bizmetrics_export_failures_total` and `bizmetrics_export_failed_data_points_total`. */
export class ExportFailureTally {
  readonly exports = new SelfCounter({ name: 'bizmetrics_export_failures', description: 'Metric exports that failed, by exporter', unit: '{export}', labels: ['exporter'] });
  readonly dataPoints = new SelfCounter({
    name: 'bizmetrics_export_failed_data_points',
    description: 'Data points in exports that failed, by exporter',
    unit: '{data_point}',
    labels: ['exporter'],
  });

  /** Counts one failed export of `dataPoints` points; logs the first failure of each exporter. */
  record(exporter: string, dataPoints: number, error: string): void {
    this.exports.add(exporter);
    this.dataPoints.add(exporter, '', dataPoints);
    this.exports.logOnce(
      exporter,
      () => `bizmetrics: ${exporter} export failed (${error}); further failures are counted in bizmetrics_export_failures_total without logging.`,
    );
  }

  /** Failed exports so far (all exporters). */
  get failedExports(): number {
    return this.exports.total();
  }

  /** Data points that could not be delivered so far (all exporters). */
  get failedDataPoints(): number {
    return this.dataPoints.total();
  }
}
