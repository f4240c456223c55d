import { isoTime } from './alignSeries';
import { CorrelateError } from './correlateError';
import { formatPromDuration } from './promDuration';
import { queryRange, type PrometheusClientOptions } from './prometheusClient';

/** The window a run asked for. */
export interface RequestedWindow {
  readonly start: number;
  readonly end: number;
  readonly step: number;
}

const PROBE_MAX_POINTS = 11_000;
/** Steps offered in a suggestion, shortest first. */
const NICE_STEPS = [1, 5, 15, 30, 60, 300, 900, 3600] as const;

/** First timestamp at which `query` has a finite value, probing the window at the finest step Prometheus allows. */
async function firstSample(client: PrometheusClientOptions, query: string, label: string, window: RequestedWindow): Promise<number | undefined> {
  const step = Math.max(1, Math.ceil((window.end - window.start) / (PROBE_MAX_POINTS - 1)));
  const result = await queryRange(client, { query, label, start: window.start, end: window.end, step });
  let first: number | undefined;
  for (const series of result.series) {
    const sample = series.points.find(([, value]) => Number.isFinite(value));
    if (sample !== undefined && (first === undefined || sample[0] < first)) first = sample[0];
  }
  return first;
}

/** `--range`, `--step` and `--max-lag` that fit `span` seconds of history with `minPoints` to spare. */
export function suggestWindow(span: number, minPoints: number): { range: number; step: number; maxLag: number } {
  const range = span >= 120 ? Math.floor(span / 60) * 60 : Math.max(1, Math.floor(span));
  // The coarsest nice step that still gives three times the minimum, so gaps do not sink the run.
  const step = [...NICE_STEPS].reverse().find((candidate) => range / candidate >= 3 * minPoints) ?? 1;
  const maxLag = Math.floor(range / 4 / step) * step;
  return { range, step, maxLag };
}

/**
 * When a run found no data or too few points, checks whether the data is merely young: both
 * queries have samples, but only for the last part of the window. Returns the error that says so
 * and what to pass, or `undefined` when the data is not there at all (then the original error stands).
 */
export async function youngDataError(
  client: PrometheusClientOptions,
  queries: { readonly technical: string; readonly business: string },
  window: RequestedWindow,
  minPoints: number,
): Promise<CorrelateError | undefined> {
  const [technical, business] = await Promise.all([
    firstSample(client, queries.technical, 'technical query', window),
    firstSample(client, queries.business, 'business query', window),
  ]);
  if (technical === undefined || business === undefined) return undefined;
  const since = Math.max(technical, business);
  const span = window.end - since;
  const requested = window.end - window.start;
  // Data across most of the window means the problem is gaps, not age.
  if (span >= requested / 2) return undefined;
  const suggestion = suggestWindow(span, minPoints);
  const points = Math.floor(span / window.step) + 1;
  return new CorrelateError(
    'too-little-history',
    `the range holds too little data: both queries have values only since ${isoTime(since)} (the last ${formatPromDuration(Math.max(1, Math.round(span)))}), ` +
      `about ${points} point(s) at --step ${formatPromDuration(window.step)} over --range ${formatPromDuration(requested)} (at least ${minPoints} are needed): ` +
      `pass --range ${formatPromDuration(suggestion.range)} --step ${formatPromDuration(suggestion.step)} --max-lag ${suggestion.maxLag === 0 ? '0' : formatPromDuration(suggestion.maxLag)}, ` +
      'or wait until more history has accumulated',
  );
}
