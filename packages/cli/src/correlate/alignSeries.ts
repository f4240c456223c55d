import { CorrelateError } from './correlateError';
import type { RangeResult, RangeSeries } from './prometheusClient';

/** A series laid on the evaluation grid start, start+step, ...; NaN where Prometheus returned no usable value. */
export interface GridSeries {
  values: number[];
  /** Grid slots holding a finite value. */
  present: number;
}

/**
 * Picks the one series a side must return. Several series mean the PromQL kept a label the correlation cannot
 * choose between (instance, route, ...): the user must aggregate, not us.
 */
export function singleSeries(result: RangeResult, label: string, window: { start: number; end: number }): RangeSeries {
  if (result.series.length === 0) {
    throw new CorrelateError(
      'no-data',
      `the ${label} returned no data between ${isoTime(window.start)} and ${isoTime(window.end)}: check the metric name and labels in Prometheus, or choose --range/--end to cover when it was recorded`,
    );
  }
  if (result.series.length > 1) {
    const shown = result.series.slice(0, 3).map((series) => formatLabels(series.labels));
    const more = result.series.length > 3 ? `, … ${result.series.length - 3} more` : '';
    throw new CorrelateError(
      'several-series',
      `the ${label} returned ${result.series.length} series (${shown.join(', ')}${more}) but one is needed: aggregate it, e.g. sum(...) or avg(...), or select one with a label matcher`,
    );
  }
  return result.series[0] as RangeSeries;
}

/**
 * Places samples on the step grid. Prometheus evaluates a range query exactly at start + k·step, so both sides
 * share timestamps; a slot is left NaN when the sample is missing (gap, staleness), NaN or infinite, and the pair
 * is then dropped rather than interpolated: inventing values would invent correlation.
 */
export function toGrid(series: RangeSeries, start: number, step: number, slots: number): GridSeries {
  const values = new Array<number>(slots).fill(Number.NaN);
  let present = 0;
  for (const [time, value] of series.points) {
    const slot = Math.round((time - start) / step);
    // Off-grid timestamps cannot come from query_range; ignore them rather than pair them wrongly.
    if (slot < 0 || slot >= slots || Math.abs(start + slot * step - time) > step / 1000) continue;
    if (!Number.isFinite(value)) continue;
    if (!Number.isFinite(values[slot] as number)) present++;
    values[slot] = value;
  }
  return { values, present };
}

export function formatLabels(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([name, value]) => `${name}="${value}"`);
  return `{${parts.join(', ')}}`;
}

export function isoTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace('.000Z', 'Z');
}
