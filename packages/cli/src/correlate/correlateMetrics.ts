import { isoTime, singleSeries, toGrid } from './alignSeries';
import { CorrelateError } from './correlateError';
import type { CorrelationReport } from './correlationReport';
import { describeImpactSlope } from './impactStatement';
import type { MetricSpec, ResolvedMetricSpec } from './metricSpec';
import { resolveMetricSpec } from './metricSpec';
import { formatPromDuration, parsePromDuration } from './promDuration';
import type { PrometheusAuth } from './prometheusClient';
import { queryRange } from './prometheusClient';
import { youngDataError } from './youngData';
import { crossCorrelation, pairsAtLag, strongestLag } from './statistics/crossCorrelation';
import { effectiveSampleSize } from './statistics/effectiveSampleSize';
import { describeImpact, impactStrength, SIGNIFICANCE_LEVEL } from './statistics/impactStrength';
import { linearRegression } from './statistics/linearRegression';
import { correlationSignificance } from './statistics/significance';
import { spearman } from './statistics/spearman';

/** Prometheus refuses range queries longer than this many points per series. */
const PROMETHEUS_MAX_POINTS = 11_000;

export interface CorrelateOptions {
  /** Prometheus base URL, e.g. `http://localhost:9090`. */
  prometheusUrl: string;
  /** Technical metric (the suspected cause): a PromQL string or a spec with name and units. */
  technical: string | MetricSpec;
  /** Business metric (the suspected effect). */
  business: string | MetricSpec;
  /** How far back from `end` to look, Prometheus duration or seconds. Default `7d`. */
  range?: string | number;
  /** Resolution of both series. Default `5m`. */
  step?: string | number;
  /** Longest delay to search for the business effect, 0 for none. Default `30m`. */
  maxLag?: string | number;
  /** End of the window. Default now (rounded down to the step). */
  end?: Date;
  /** Credentials for Prometheus. */
  auth?: PrometheusAuth;
  /** Per-request timeout. Default 30 000 ms. */
  timeoutMs?: number;
  /** Cancels the queries. */
  signal?: AbortSignal;
  /** Fewest aligned points accepted. Default 10; lower values are refused. */
  minPoints?: number;
}

export const DEFAULT_MIN_POINTS = 10;

/**
 * Queries both metrics from Prometheus over the same window, aligns them on shared timestamps, finds the
 * lag at which the business metric follows the technical one most closely, and says how strong, how certain
 * and how large the effect is.
 * @throws CorrelateError with a one-line, actionable message for every user-fixable problem
 */
export async function correlateMetrics(options: CorrelateOptions): Promise<CorrelationReport> {
  const technical = resolveMetricSpec(options.technical);
  const business = resolveMetricSpec(options.business);
  const window = resolveWindow(options);
  const minPoints = options.minPoints ?? DEFAULT_MIN_POINTS;
  if (!Number.isInteger(minPoints) || minPoints < DEFAULT_MIN_POINTS) {
    throw new CorrelateError('invalid-option', `minPoints must be an integer of at least ${DEFAULT_MIN_POINTS}, got ${minPoints}`);
  }
  for (const [side, spec] of [['--technical', technical], ['--business', business]] as const) {
    if (spec.query.trim() === '') throw new CorrelateError('invalid-option', `${side} is empty: give a PromQL query or a --preset`);
  }

  const client = { url: options.prometheusUrl, auth: options.auth, timeoutMs: options.timeoutMs, signal: options.signal };
  const base = { start: window.start, end: window.end, step: window.step };
  const aligned = async () => {
    const [technicalResult, businessResult] = await Promise.all([
      queryRange(client, { ...base, query: technical.query, label: 'technical query' }),
      queryRange(client, { ...base, query: business.query, label: 'business query' }),
    ]);
    const technicalGrid = toGrid(singleSeries(technicalResult, 'technical query', window), window.start, window.step, window.slots);
    const businessGrid = toGrid(singleSeries(businessResult, 'business query', window), window.start, window.step, window.slots);
    for (const [label, grid] of [['technical query', technicalGrid], ['business query', businessGrid]] as const) {
      if (grid.present === 0) {
        throw new CorrelateError(
          'no-data',
          `the ${label} has only NaN or missing values between ${isoTime(window.start)} and ${isoTime(window.end)}: check it in Prometheus, or choose another --range/--end`,
        );
      }
    }

    const zero = pairsAtLag(technicalGrid.values, businessGrid.values, 0);
    if (zero.x.length < minPoints) {
      throw new CorrelateError(
        'too-few-points',
        `only ${zero.x.length} timestamps have both a technical and a business value (at least ${minPoints} are needed): widen --range, lower --step, or fill the gaps in the series`,
      );
    }
    return { technicalGrid, businessGrid, zero, warnings: [...technicalResult.warnings, ...businessResult.warnings] };
  };
  let found: Awaited<ReturnType<typeof aligned>>;
  try {
    found = await aligned();
  } catch (error) {
    // On a young Prometheus the default week holds minutes of data: say so, and what to pass.
    if (error instanceof CorrelateError && (error.code === 'no-data' || error.code === 'too-few-points')) {
      throw (await youngDataError(client, { technical: technical.query, business: business.query }, window, minPoints)) ?? error;
    }
    throw error;
  }
  const { technicalGrid, businessGrid, zero } = found;
  assertVaries(zero.x, 'technical', window);
  assertVaries(zero.y, 'business', window);

  const lagPoints = crossCorrelation(technicalGrid.values, businessGrid.values, window.maxLagSteps, minPoints);
  const best = strongestLag(lagPoints);
  if (best === undefined) {
    throw new CorrelateError('constant-series', 'no lag has enough varying pairs to correlate: widen --range or lower --max-lag');
  }
  const pairs = pairsAtLag(technicalGrid.values, businessGrid.values, best.lagSteps);
  const effectiveN = effectiveSampleSize(pairs.x, pairs.y);
  const significance = correlationSignificance(best.pearson, effectiveN);
  const pValueAdjusted = Math.min(1, significance.pValue * lagPoints.length);
  const strength = impactStrength(best.pearson, pValueAdjusted);
  const significant = pValueAdjusted < SIGNIFICANCE_LEVEL;

  const warnings = [...found.warnings];
  if (effectiveN < pairs.x.length / 4) {
    warnings.push(
      `both series are strongly autocorrelated: ${pairs.x.length} points carry about as much evidence as ${Math.round(effectiveN)} independent ones; a longer --range helps more than a smaller --step`,
    );
  }

  const report: CorrelationReport = {
    technical: { query: technical.query, name: technical.name, unit: technical.unit },
    business: { query: business.query, name: business.name, unit: business.unit },
    window: {
      start: isoTime(window.start),
      end: isoTime(window.end),
      stepSeconds: window.step,
      maxLagSeconds: window.maxLagSteps * window.step,
    },
    points: {
      expected: window.slots,
      technical: technicalGrid.present,
      business: businessGrid.present,
      aligned: zero.x.length,
      dropped: window.slots - zero.x.length,
    },
    lag: { seconds: best.lagSteps * window.step, steps: best.lagSteps, tested: lagPoints.length },
    correlation: {
      pearson: best.pearson,
      spearman: spearman(pairs.x, pairs.y),
      n: pairs.x.length,
      effectiveN,
      pValue: significance.pValue,
      pValueAdjusted,
      interval95: significance.interval95,
      significant,
      strength,
      summary: describeImpact(strength, best.pearson, business.name),
    },
    atZeroLag: { pearson: lagPoints[0]?.pearson ?? Number.NaN, spearman: spearman(zero.x, zero.y), n: zero.x.length },
    crossCorrelation: lagPoints.map((point) => ({
      lagSeconds: point.lagSteps * window.step,
      pairs: point.pairs,
      pearson: point.pearson,
    })),
    warnings,
  };
  if (significant) report.impact = impactEstimate(pairs.x, pairs.y, technical, business, report.lag.seconds);
  return report;
}

interface ResolvedWindow {
  start: number;
  end: number;
  step: number;
  slots: number;
  maxLagSteps: number;
}

function resolveWindow(options: CorrelateOptions): ResolvedWindow {
  const range = parsePromDuration(options.range ?? '7d', '--range');
  const step = parsePromDuration(options.step ?? '5m', '--step');
  const maxLagOption = options.maxLag ?? '30m';
  // "0", "0s", "0m" all mean "no lag search"; parsePromDuration rightly refuses zero for --range and --step.
  const maxLag = /^0+(ms|s|m|h|d|w|y)?$/.test(String(maxLagOption).trim()) ? 0 : parsePromDuration(maxLagOption, '--max-lag');
  if (step >= range) {
    throw new CorrelateError('invalid-option', `--step ${formatPromDuration(step)} must be shorter than --range ${formatPromDuration(range)}`);
  }
  if (maxLag > 0 && maxLag < step) {
    throw new CorrelateError(
      'invalid-option',
      `--max-lag ${formatPromDuration(maxLag)} is shorter than --step ${formatPromDuration(step)}: lags are searched in whole steps, so lower --step or raise --max-lag`,
    );
  }
  if (maxLag >= range / 2) {
    throw new CorrelateError('invalid-option', `--max-lag ${formatPromDuration(maxLag)} must be under half of --range ${formatPromDuration(range)}`);
  }
  const slots = Math.floor(range / step) + 1;
  if (slots > PROMETHEUS_MAX_POINTS) {
    throw new CorrelateError(
      'invalid-option',
      `--range ${formatPromDuration(range)} at --step ${formatPromDuration(step)} is ${slots} points per series, over Prometheus' limit of ${PROMETHEUS_MAX_POINTS}: raise --step to at least ${formatPromDuration(minimumStep(range))}`,
    );
  }
  const endDate = options.end ?? new Date();
  if (Number.isNaN(endDate.getTime())) throw new CorrelateError('invalid-option', '--end is not a valid time: use RFC 3339 or Unix seconds');
  // Rounded down to the step so two runs a minute apart evaluate the same timestamps.
  const end = Math.floor(endDate.getTime() / 1000 / step) * step;
  const start = end - (slots - 1) * step;
  return { start, end, step, slots, maxLagSteps: Math.floor(maxLag / step) };
}

/** Smallest step Prometheus accepts for `range`, rounded up to a whole minute (or second) for the suggestion. */
function minimumStep(range: number): number {
  const exact = range / (PROMETHEUS_MAX_POINTS - 1);
  return exact > 60 ? Math.ceil(exact / 60) * 60 : Math.ceil(exact);
}

function assertVaries(values: readonly number[], side: string, window: ResolvedWindow): void {
  const first = values[0];
  if (values.every((value) => value === first)) {
    throw new CorrelateError(
      'constant-series',
      `the ${side} series is constant (${first}) between ${isoTime(window.start)} and ${isoTime(window.end)}, so nothing can correlate with it: pick a window where it moves`,
    );
  }
}

function impactEstimate(
  x: readonly number[],
  y: readonly number[],
  technical: ResolvedMetricSpec,
  business: ResolvedMetricSpec,
  lagSeconds: number,
): NonNullable<CorrelationReport['impact']> {
  const xs = x.map((value) => value * technical.scale);
  const ys = y.map((value) => value * business.scale);
  const fit = linearRegression(xs, ys);
  const baselineTechnical = median(xs);
  const baselineBusiness = fit.intercept + fit.slope * baselineTechnical;
  return {
    slope: fit.slope,
    intercept: fit.intercept,
    rSquared: fit.rSquared,
    baselineTechnical,
    baselineBusiness,
    statement: describeImpactSlope({ slope: fit.slope, technical, business, baselineTechnical, baselineBusiness, lagSeconds }),
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
