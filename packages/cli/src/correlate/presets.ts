import { guideQueries } from '@bizmetrics/core/queries';
import type { MetricSpec } from './metricSpec';

/** A ready-made pair of queries for a question the guide asks. */
export interface CorrelationPreset {
  description: string;
  technical: MetricSpec;
  business: MetricSpec;
}

/**
 * p99 latency of the Express adapter's `http.server.request.duration` histogram. The OpenTelemetry JS
 * Prometheus exporter adds no unit suffix, so the buckets are `http_server_request_duration_bucket`, in seconds.
 */
const p99Latency: MetricSpec = {
  query: 'histogram_quantile(0.99, sum by (le) (rate(http_server_request_duration_bucket[5m])))',
  name: 'p99 latency',
  unit: 'ms',
  scale: 1000,
  per: 100,
};

/** The guide's conversion rate: order_confirmed / cart_view, in percent. */
const conversionRate: MetricSpec = {
  // On one line: the report prints the query beside its name.
  query: guideQueries.conversionRatePercent.replace(/\s*\n\s*/g, ' '),
  name: 'conversion rate',
  unit: 'points',
};

export const correlationPresets = {
  'latency-vs-conversion': {
    description: "p99 request latency (Express adapter) vs the guide's conversion rate",
    technical: p99Latency,
    business: conversionRate,
  },
  'latency-vs-revenue': {
    description: "p99 request latency (Express adapter) vs the guide's revenue per minute",
    technical: p99Latency,
    business: {
      query: 'sum(rate(business_revenue_cents_total[5m])) * 60',
      name: 'revenue per minute',
      unit: 'cents/min',
    },
  },
  'errors-vs-conversion': {
    description: "5xx share of requests (Express adapter) vs the guide's conversion rate",
    technical: {
      query:
        // `or vector(0)`: with no 5xx at all the numerator has no series and the ratio would vanish instead of being 0.
        '(sum(rate(http_server_request_duration_count{http_response_status_code=~"5.."}[5m])) or vector(0)) / sum(rate(http_server_request_duration_count[5m])) * 100',
      name: 'error rate',
      unit: '%',
      per: 1,
    },
    business: conversionRate,
  },
} as const satisfies Record<string, CorrelationPreset>;

export type CorrelationPresetName = keyof typeof correlationPresets;

export function isCorrelationPresetName(name: string): name is CorrelationPresetName {
  return Object.hasOwn(correlationPresets, name);
}
