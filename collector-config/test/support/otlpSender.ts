/** One cumulative counter stream of a synthetic SDK process: its resource and its point attributes. */
export interface SyntheticStream {
  /** `service.instance.id` of the process that owns the stream. */
  readonly instance: string;
  /** Instrument name as the SDK exports it (e.g. `business_funnel_step`, no `_total`). */
  readonly metric: string;
  readonly attributes: Readonly<Record<string, string>>;
}

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });

/**
 * An OTLP/JSON export request shaped as the bizmetrics SDK sends it: one resource per process
 * (`service.name`, `service.namespace`, `service.instance.id`, plus `deployment.environment.name`, which
 * Prometheus paths put on `target_info`), cumulative monotonic sums.
 * `valueOf` gives each stream's cumulative value at this export.
 */
export function cumulativeExportRequest(
  streams: readonly SyntheticStream[],
  valueOf: (stream: SyntheticStream) => number,
  startTimeMs: number,
  service = 'checkout',
): string {
  const now = String(BigInt(Date.now()) * 1_000_000n);
  const start = String(BigInt(startTimeMs) * 1_000_000n);
  const byInstance = new Map<string, SyntheticStream[]>();
  for (const stream of streams) byInstance.set(stream.instance, [...(byInstance.get(stream.instance) ?? []), stream]);
  const resourceMetrics = [...byInstance].map(([instance, own]) => {
    const byMetric = new Map<string, SyntheticStream[]>();
    for (const stream of own) byMetric.set(stream.metric, [...(byMetric.get(stream.metric) ?? []), stream]);
    return {
      resource: {
        attributes: [str('service.name', service), str('service.namespace', 'shop'), str('service.instance.id', instance), str('deployment.environment.name', 'test')],
      },
      scopeMetrics: [
        {
          scope: { name: '@bizmetrics/core', version: '0.0.0' },
          metrics: [...byMetric].map(([name, points]) => ({
            name,
            unit: '',
            sum: {
              aggregationTemporality: 2,
              isMonotonic: true,
              dataPoints: points.map((stream) => ({
                attributes: Object.entries(stream.attributes).map(([key, value]) => str(key, value)),
                startTimeUnixNano: start,
                timeUnixNano: now,
                asDouble: valueOf(stream),
              })),
            },
          })),
        },
      ],
    };
  });
  return JSON.stringify({ resourceMetrics });
}

/** POSTs an OTLP/JSON body to `${baseUrl}/v1/metrics`; returns the status and body text (never throws on a status). */
export async function postOtlpJson(baseUrl: string, body: string, headers: Readonly<Record<string, string>> = {}): Promise<{ status: number; text: string }> {
  const response = await fetch(`${baseUrl}/v1/metrics`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    signal: AbortSignal.timeout(15000),
  });
  return { status: response.status, text: await response.text() };
}
