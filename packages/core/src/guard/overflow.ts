import type { Attributes } from '@opentelemetry/api';

/**
 * The one overflow marker: the attribute set a capped instrument records into once its series cap
 * is reached, as the OpenTelemetry specification defines it (and as the SDK's own cardinality limit
 * writes it). Prometheus shows it as `{otel_metric_overflow="true"}` with no other label, so
 * `sum(...)` still adds it in and `sum by (step)` shows it as one group without a step.
 */
export const overflowAttributes: Attributes = Object.freeze({ 'otel.metric.overflow': true });

/** Name of the overflow attribute (`otel_metric_overflow` in Prometheus). */
export const overflowAttributeName = 'otel.metric.overflow';

/**
 * Value a client-supplied label (UTM source, region, entry page, feature name) takes when its value
 * is not admitted. Not an overflow of the series: the rest of the event keeps its labels, so a
 * hostile `source` cannot take a funnel step out of `sum by (step)`.
 */
export const otherLabelValue = 'other';
