/** One element of an instant-vector result: labels and the value as a number. */
export interface InstantSample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: number;
  /** Evaluation timestamp in seconds. */
  readonly time: number;
}

/** One series of a range-vector (matrix) result. */
export interface RangeSeries {
  readonly metric: Readonly<Record<string, string>>;
  readonly samples: readonly { readonly time: number; readonly value: number }[];
}

interface ApiResponse<T> {
  status: 'success' | 'error';
  errorType?: string;
  error?: string;
  data?: T;
}

type QueryData = { resultType: string; result: unknown };

async function instantQuery(baseUrl: string, expr: string, time?: number): Promise<QueryData> {
  const params = new URLSearchParams({ query: expr });
  // Millisecond precision: Prometheus stores sample timestamps in ms.
  if (time !== undefined) params.set('time', time.toFixed(3));
  // POST: long guide queries stay clear of URL length limits.
  const response = await fetch(`${baseUrl}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: params.toString(),
    signal: AbortSignal.timeout(10000),
  });
  const body = (await response.json()) as ApiResponse<QueryData>;
  if (body.status !== 'success' || body.data === undefined) {
    throw new Error(`Prometheus query failed (${response.status} ${body.errorType ?? ''}: ${body.error ?? 'no data'}): ${expr}`);
  }
  return body.data;
}

/**
 * Evaluates `expr` with Prometheus' instant-query API at `time` (seconds; now when left out).
 * Throws on a query error or when the result is not an instant vector.
 */
export async function queryInstantVector(baseUrl: string, expr: string, time?: number): Promise<InstantSample[]> {
  const data = await instantQuery(baseUrl, expr, time);
  if (data.resultType !== 'vector') throw new Error(`expected an instant vector from ${expr}, got ${data.resultType}`);
  return (data.result as { metric: Record<string, string>; value: [number, string] }[]).map((entry) => ({
    metric: entry.metric,
    time: entry.value[0],
    value: Number(entry.value[1]),
  }));
}

/** Evaluates a range-vector selector such as `my_total[5m]` at `time`: the raw samples Prometheus holds. */
export async function queryRangeVector(baseUrl: string, expr: string, time?: number): Promise<RangeSeries[]> {
  const data = await instantQuery(baseUrl, expr, time);
  if (data.resultType !== 'matrix') throw new Error(`expected a range vector from ${expr}, got ${data.resultType}`);
  return (data.result as { metric: Record<string, string>; values: [number, string][] }[]).map((entry) => ({
    metric: entry.metric,
    samples: entry.values.map(([t, v]) => ({ time: t, value: Number(v) })),
  }));
}

/** The value of a query that must return exactly one series. */
export async function queryScalarValue(baseUrl: string, expr: string, time?: number): Promise<number> {
  const result = await queryInstantVector(baseUrl, expr, time);
  if (result.length !== 1) throw new Error(`expected one series from ${expr}, got ${result.length}: ${JSON.stringify(result)}`);
  return (result[0] as InstantSample).value;
}

/** GETs an API path (e.g. `/api/v1/rules`) and returns its `data`; throws with Prometheus' error text. */
export async function queryApi<T>(baseUrl: string, path: string): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, { signal: AbortSignal.timeout(10000) });
  const body = (await response.json()) as ApiResponse<T>;
  if (body.status !== 'success' || body.data === undefined) throw new Error(`${path} failed: ${body.error ?? response.status}`);
  return body.data;
}

/** Every metric name Prometheus has stored. */
export async function metricNames(baseUrl: string): Promise<string[]> {
  return queryApi<string[]>(baseUrl, '/api/v1/label/__name__/values');
}

/** A vector as `{ "<label values joined by ,>": value }`, keyed by `keyLabels` (empty: the single value under ""). */
export function byLabels(samples: readonly InstantSample[], keyLabels: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const sample of samples) out[keyLabels.map((label) => sample.metric[label] ?? '').join(',')] = sample.value;
  return out;
}
