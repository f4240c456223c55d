import { CorrelateError } from './correlateError';
import { formatPromDuration } from './promDuration';

/** Credentials for a Prometheus behind a proxy or a hosted Prometheus-compatible API. */
export type PrometheusAuth =
  | { type: 'bearer'; token: string }
  | { type: 'basic'; username: string; password: string };

export interface PrometheusClientOptions {
  /** Base URL of the Prometheus server, with any path prefix (e.g. `http://prometheus:9090` or `https://host/prom`). */
  url: string;
  /** Credentials sent with every request. */
  auth?: PrometheusAuth;
  /** Abort a request that takes longer than this. Default 30 000 ms. */
  timeoutMs?: number;
  /** Cancels in-flight requests. */
  signal?: AbortSignal;
}

export interface RangeQuery {
  /** PromQL expression. */
  query: string;
  /** Inclusive start, Unix seconds. */
  start: number;
  /** Inclusive end, Unix seconds. */
  end: number;
  /** Evaluation step, seconds. */
  step: number;
  /** How the query is named in errors ("technical query"). */
  label: string;
}

/** One series of a range result. Values are numbers; Prometheus' "NaN" and "+Inf" come through as NaN/Infinity. */
export interface RangeSeries {
  labels: Record<string, string>;
  /** [Unix seconds, value] in time order. */
  points: Array<[number, number]>;
}

export interface RangeResult {
  series: RangeSeries[];
  /** Non-fatal warnings Prometheus attached to the answer. */
  warnings: string[];
}

interface PrometheusEnvelope {
  status?: string;
  errorType?: string;
  error?: string;
  warnings?: string[];
  data?: { resultType?: string; result?: Array<{ metric?: Record<string, string>; values?: Array<[number, string]> }> };
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * `GET/POST /api/v1/query_range` with the global fetch. POST with a form body, as the Prometheus UI does,
 * so long PromQL never hits URL length limits in proxies.
 * Every failure becomes a CorrelateError whose message says what to do.
 */
export async function queryRange(client: PrometheusClientOptions, query: RangeQuery): Promise<RangeResult> {
  const endpoint = apiUrl(client.url, 'api/v1/query_range');
  const timeoutMs = client.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = client.signal ? AbortSignal.any([client.signal, timeout]) : timeout;
  const body = new URLSearchParams({
    query: query.query,
    start: String(query.start),
    end: String(query.end),
    step: String(query.step),
  });
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': 'application/x-www-form-urlencoded',
  };
  const authorization = authorizationHeader(client.auth);
  if (authorization) headers.authorization = authorization;

  let response: Response;
  let text: string;
  try {
    response = await fetch(endpoint, { method: 'POST', body, headers, signal });
    // Inside the try: a server that stalls mid-body is aborted by the same timeout.
    text = await response.text();
  } catch (error) {
    if (timeout.aborted) {
      throw new CorrelateError(
        'timeout',
        `Prometheus at ${client.url} did not answer the ${query.label} within ${formatPromDuration(timeoutMs / 1000)}: shorten --range, raise --step or raise --timeout`,
        { cause: error },
      );
    }
    if (client.signal?.aborted) throw error;
    throw new CorrelateError(
      'unreachable',
      `cannot reach Prometheus at ${client.url} (${networkReason(error)}): check --prometheus and that the server is up`,
      { cause: error },
    );
  }

  const envelope = parseEnvelope(text);
  if (envelope?.status === 'error') {
    throw promqlError(envelope, query, response.status);
  }
  if (!response.ok) {
    throw httpError(client.url, response, text);
  }
  if (envelope?.status !== 'success' || envelope.data === undefined) {
    throw new CorrelateError(
      'http',
      `${client.url} did not answer like a Prometheus API (${snippet(text)}): point --prometheus at the server root, e.g. http://host:9090`,
    );
  }
  if (envelope.data.resultType !== 'matrix') {
    throw new CorrelateError(
      'promql',
      `the ${query.label} returned a ${envelope.data.resultType ?? 'unknown'} result, not a range vector: use an instant-vector expression such as sum(rate(x[5m]))`,
    );
  }
  const series = (envelope.data.result ?? []).map((item) => ({
    labels: item.metric ?? {},
    points: (item.values ?? []).map(([time, value]) => [Number(time), parseSampleValue(value)] as [number, number]),
  }));
  return { series, warnings: envelope.warnings ?? [] };
}

/** Prometheus writes "+Inf"/"-Inf", which Number() does not read. */
export function parseSampleValue(value: string): number {
  if (value === '+Inf' || value === 'Inf') return Number.POSITIVE_INFINITY;
  if (value === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(value);
}

function apiUrl(base: string, path: string): URL {
  let root: URL;
  try {
    root = new URL(base.endsWith('/') ? base : `${base}/`);
  } catch {
    throw new CorrelateError('invalid-option', `--prometheus "${base}" is not a URL: use e.g. http://localhost:9090`);
  }
  if (root.protocol !== 'http:' && root.protocol !== 'https:') {
    throw new CorrelateError('invalid-option', `--prometheus "${base}" must be an http(s) URL, e.g. http://localhost:9090`);
  }
  return new URL(path, root);
}

function authorizationHeader(auth: PrometheusAuth | undefined): string | undefined {
  if (!auth) return undefined;
  if (auth.type === 'bearer') return `Bearer ${auth.token}`;
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
}

function parseEnvelope(text: string): PrometheusEnvelope | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as PrometheusEnvelope) : undefined;
  } catch {
    return undefined;
  }
}

function promqlError(envelope: PrometheusEnvelope, query: RangeQuery, httpStatus: number): CorrelateError {
  const type = envelope.errorType ?? 'error';
  const detail = oneLine(envelope.error ?? 'no detail');
  if (type === 'bad_data') {
    return new CorrelateError(
      'promql',
      `the ${query.label} was refused by Prometheus (${type}: ${detail}): fix the PromQL and try it in the Prometheus expression browser first`,
    );
  }
  if (type === 'timeout' || type === 'canceled') {
    return new CorrelateError(
      'timeout',
      `Prometheus gave up on the ${query.label} (${type}: ${detail}): shorten --range or raise --step`,
    );
  }
  return new CorrelateError(
    'promql',
    `Prometheus failed to evaluate the ${query.label} (HTTP ${httpStatus}, ${type}: ${detail}): simplify the query or shorten --range`,
  );
}

function httpError(url: string, response: Response, text: string): CorrelateError {
  if (response.status === 401 || response.status === 403) {
    return new CorrelateError(
      'http',
      `Prometheus at ${url} refused the credentials (HTTP ${response.status}): check --bearer-token or --basic-auth`,
    );
  }
  if (response.status === 404) {
    return new CorrelateError(
      'http',
      `${url} has no /api/v1/query_range (HTTP 404): point --prometheus at the Prometheus root, including any path prefix`,
    );
  }
  return new CorrelateError(
    'http',
    `Prometheus at ${url} answered HTTP ${response.status} ${response.statusText} (${snippet(text)}): check the server and retry`,
  );
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

function snippet(text: string): string {
  const line = oneLine(text);
  if (line === '') return 'empty body';
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
