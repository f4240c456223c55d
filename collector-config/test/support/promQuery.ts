/** One element of an instant vector (or a scalar, with no labels). */
export interface PromSample {
  labels: Record<string, string>;
  value: number;
}

interface PromResponse {
  status: string;
  error?: string;
  data?: { resultType: string; result: unknown };
}

/** Runs an instant PromQL query against `prometheusUrl` (e.g. http://127.0.0.1:9090) at `timeSeconds` (default: now). */
export async function queryInstant(prometheusUrl: string, promql: string, timeSeconds?: number): Promise<PromSample[]> {
  const params = new URLSearchParams({ query: promql });
  if (timeSeconds !== undefined) params.set('time', timeSeconds.toFixed(3));
  const response = await fetch(`${prometheusUrl}/api/v1/query?${params}`, { signal: AbortSignal.timeout(10000) });
  const body = (await response.json()) as PromResponse;
  if (!response.ok || body.status !== 'success' || body.data === undefined) {
    throw new Error(`PromQL ${JSON.stringify(promql)} failed on ${prometheusUrl}: HTTP ${response.status} ${body.error ?? ''}`);
  }
  const { resultType, result } = body.data;
  if (resultType === 'scalar') return [{ labels: {}, value: Number((result as [number, string])[1]) }];
  if (resultType !== 'vector') throw new Error(`PromQL ${JSON.stringify(promql)}: unexpected result type ${resultType}`);
  return (result as { metric: Record<string, string>; value: [number, string] }[]).map((sample) => ({
    labels: sample.metric,
    value: Number(sample.value[1]),
  }));
}

/** A vector as `{ "<label values joined by ,>": value }`, keyed by `keyLabels` (empty: the single value under ""). */
export function byLabels(samples: readonly PromSample[], keyLabels: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const sample of samples) out[keyLabels.map((label) => sample.labels[label] ?? '').join(',')] = sample.value;
  return out;
}

/** Every metric name Prometheus has stored. */
export async function metricNames(prometheusUrl: string): Promise<string[]> {
  const response = await fetch(`${prometheusUrl}/api/v1/label/__name__/values`, { signal: AbortSignal.timeout(10000) });
  const body = (await response.json()) as { status: string; data: string[] };
  if (body.status !== 'success') throw new Error(`label values query failed on ${prometheusUrl}`);
  return body.data;
}
