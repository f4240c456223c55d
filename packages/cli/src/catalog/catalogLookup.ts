import { prometheusName, type MetricDefinition } from '@bizmetrics/core';

/** The catalog entry with this OpenTelemetry name, if the catalog has it. */
export function findMetric(catalog: readonly MetricDefinition[], name: string): MetricDefinition | undefined {
  return catalog.find((definition) => definition.name === name);
}

/** Every series name an entry is scraped as (histograms: `_bucket`, `_sum`, `_count`). */
export function seriesNames(definition: MetricDefinition): string[] {
  const base = prometheusName(definition);
  return definition.kind === 'histogram' ? [`${base}_bucket`, `${base}_sum`, `${base}_count`] : [base];
}

/** Whether a PromQL expression reads one of the entry's series. */
export function exprUsesMetric(expr: string, definition: MetricDefinition): boolean {
  return seriesNames(definition).some((series) => new RegExp(`(^|[^a-zA-Z0-9_:])${series}([^a-zA-Z0-9_:]|$)`).test(expr));
}

/** A metric name without the `_total` counters get, for recording-rule names (`level:metric:operations`). */
export function recordingBaseName(definition: MetricDefinition): string {
  return prometheusName(definition).replace(/_total$/, '');
}
