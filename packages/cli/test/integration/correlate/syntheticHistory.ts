// Synthetic metric history with planted relationships, written as OpenMetrics for `promtool tsdb create-blocks-from`.
import { seededRandom } from '@bizmetrics/test-support';


/** Standard normal deviates by Box–Muller. */
export function seededGaussian(seed: number): () => number {
  const uniform = seededRandom(seed);
  return () => {
    const u = 1 - uniform();
    const v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

export interface Sample {
  /** Unix seconds. */
  time: number;
  /** May be NaN: written as `NaN`, as an exporter would. */
  value: number;
}

export interface Family {
  name: string;
  type: 'gauge' | 'counter';
  series: Array<{ labels?: Record<string, string>; samples: Sample[] }>;
}

/** OpenMetrics text: one family after another, samples in time order, `# EOF` last. */
export function toOpenMetrics(families: readonly Family[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# TYPE ${family.name} ${family.type}`);
    const sampleName = family.type === 'counter' ? `${family.name}_total` : family.name;
    for (const series of family.series) {
      const labels = series.labels
        ? `{${Object.entries(series.labels)
            .map(([k, v]) => `${k}="${v}"`)
            .join(',')}}`
        : '';
      for (const { time, value } of series.samples) {
        lines.push(`${sampleName}${labels} ${Number.isNaN(value) ? 'NaN' : String(value)} ${time}`);
      }
    }
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

/** Parameters of the planted latency → conversion relationship. */
export const planted = {
  /** Mean p99 latency, s. */
  latencyMean: 0.25,
  /** Stationary standard deviation of latency, s. */
  latencySd: 0.05,
  /** AR(1) coefficient of latency: consecutive minutes are related, as in real systems. */
  latencyAutocorrelation: 0.5,
  /** Conversion rate (percent) per second of latency: −8 points/s = −0.8 points per 100 ms. */
  slope: -8,
  /** Baseline conversion rate, percent. */
  conversionMean: 3,
  /** Noise on conversion, percent. */
  conversionNoiseSd: 0.2,
  /** How long conversion trails latency in the lagged pair. */
  lagSeconds: 600,
} as const;

/** r = slope·σx / √(slope²σx² + σe²) for y = slope·x + e. */
export const plantedPearson =
  (planted.slope * planted.latencySd) /
  Math.sqrt((planted.slope * planted.latencySd) ** 2 + planted.conversionNoiseSd ** 2);

/** AR(1) latency with the planted mean, sd and autocorrelation, one value per minute. */
export function latencySeries(count: number, seed: number): number[] {
  const gaussian = seededGaussian(seed);
  const rho = planted.latencyAutocorrelation;
  const innovationSd = planted.latencySd * Math.sqrt(1 - rho * rho);
  const values: number[] = [];
  let deviation = planted.latencySd * gaussian();
  for (let i = 0; i < count; i++) {
    values.push(planted.latencyMean + deviation);
    deviation = rho * deviation + innovationSd * gaussian();
  }
  return values;
}

/** Conversion that answers to `latency[i - lagMinutes]`. */
export function conversionSeries(latency: readonly number[], lagMinutes: number, seed: number): number[] {
  const gaussian = seededGaussian(seed);
  return latency.map((_, i) => {
    const cause = latency[i - lagMinutes] ?? planted.latencyMean;
    return planted.conversionMean + planted.slope * (cause - planted.latencyMean) + planted.conversionNoiseSd * gaussian();
  });
}

/** Bucket bounds the OpenTelemetry semantic conventions advise for `http.server.request.duration`, seconds. */
const HTTP_DURATION_BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

export interface History {
  openMetrics: string;
  /** End of the analysis window, Unix seconds, on a whole hour. */
  end: number;
  /** Analysis window length, seconds. */
  rangeSeconds: number;
  /** Minutes the gap pair's technical series is missing (each gap longer than Prometheus' 5m lookback). */
  gapMinutes: { technical: number; gaps: number; businessNaN: number; droppedAtLeast: number; droppedAtMost: number };
}

/**
 * Two days of one-minute history ending an hour before `now`, for:
 * (a) `corr_lag_*`: conversion = 3 − 8·(latency 10 minutes earlier − 0.25) + noise (strong negative, 10m lag);
 * (b) `corr_none_*`: independent series;
 * (c) `corr_gap_*`: the (a) relation without lag, technical with 30-minute holes, business with NaN samples;
 * (d) `corr_multi_latency_seconds`: two instances, for the "aggregate it" error;
 * (e) `corr_short_*`: three samples, for the "too few points" error;
 * (f) the Express adapter's latency histogram and the guide's funnel counters, for the preset.
 */
export function buildHistory(now: number): History {
  const end = Math.floor(now / 3600) * 3600 - 3600;
  const rangeSeconds = 2 * 86_400;
  // One extra hour before the window: lagged causes and [1h] rate windows need history behind the first point.
  const first = end - rangeSeconds - 3600;
  const minutes = (end - first) / 60 + 1;
  const times = Array.from({ length: minutes }, (_, i) => first + i * 60);
  const gauge = (name: string, values: readonly number[], keep: (i: number) => boolean = () => true): Family => ({
    name,
    type: 'gauge',
    series: [{ samples: times.map((time, i) => ({ time, value: values[i] as number })).filter((_, i) => keep(i)) }],
  });

  const lagLatency = latencySeries(minutes, 1);
  const lagConversion = conversionSeries(lagLatency, planted.lagSeconds / 60, 2);
  const noneLatency = latencySeries(minutes, 3);
  const noneConversion = conversionSeries(latencySeries(minutes, 4), 0, 5);
  const gapLatency = latencySeries(minutes, 6);
  const gapConversion = conversionSeries(gapLatency, 0, 7);

  // Technical holes: 30 minutes every 6 hours. Business: every 37th sample NaN.
  const inTechnicalHole = (i: number) => i % 360 >= 100 && i % 360 < 130;
  const businessNaN = (i: number) => i % 37 === 5;
  let holes = 0;
  let holeMinutes = 0;
  let nanCount = 0;
  let droppedAtLeast = 0;
  let droppedAtMost = 0;
  for (let i = 0; i < minutes; i++) {
    const time = times[i] as number;
    if (time < end - rangeSeconds) continue;
    if (inTechnicalHole(i)) {
      holeMinutes++;
      if (!inTechnicalHole(i - 1)) holes++;
    }
    if (businessNaN(i)) nanCount++;
    // Prometheus' 5-minute lookback may carry the last sample over the first minutes of a hole.
    const surelyMissing = inTechnicalHole(i) && inTechnicalHole(i - 5);
    if (businessNaN(i) || surelyMissing) droppedAtLeast++;
    if (businessNaN(i) || inTechnicalHole(i)) droppedAtMost++;
  }
  const gapConversionWithNaN = gapConversion.map((value, i) => (businessNaN(i) ? Number.NaN : value));

  const families: Family[] = [
    gauge('corr_lag_latency_seconds', lagLatency),
    gauge('corr_lag_conversion_percent', lagConversion),
    gauge('corr_none_latency_seconds', noneLatency),
    gauge('corr_none_conversion_percent', noneConversion),
    gauge('corr_gap_latency_seconds', gapLatency, (i) => !inTechnicalHole(i)),
    gauge('corr_gap_conversion_percent', gapConversionWithNaN),
    {
      name: 'corr_multi_latency_seconds',
      type: 'gauge',
      series: ['a', 'b'].map((instance, k) => ({
        labels: { instance },
        samples: times.slice(-120).map((time, i) => ({ time, value: 0.2 + 0.01 * ((i + k) % 7) })),
      })),
    },
    gauge('corr_short_latency_seconds', [0.2, 0.3, 0.25], (i) => i < 3),
    gauge('corr_short_conversion_percent', [3, 2.5, 2.8], (i) => i < 3),
    ...presetFamilies(times),
  ];
  return {
    openMetrics: toOpenMetrics(families),
    end,
    rangeSeconds,
    gapMinutes: { technical: holeMinutes, gaps: holes, businessNaN: nanCount, droppedAtLeast, droppedAtMost },
  };
}

/**
 * Request-duration histogram and funnel counters as the Express adapter and the guide's service export them.
 * Every 2 hours the share of slow requests (0.5–0.75 s) jumps to a new level between 1.5% and 8%, moving p99;
 * the conversion rate falls with that share.
 */
function presetFamilies(times: readonly number[]): Family[] {
  const uniform = seededRandom(42);
  const requestsPerMinute = 1000;
  const cartViewsPerMinute = 100;
  let slowShare = 0.04;
  let level = -1;
  const buckets = new Map<string, Sample[]>([...HTTP_DURATION_BOUNDS.map(String), '+Inf'].map((le) => [le, []]));
  const counts: Sample[] = [];
  const sums: Sample[] = [];
  const cartViews: Sample[] = [];
  const orders: Sample[] = [];
  let fast = 0;
  let slow = 0;
  let ordered = 0;
  for (const [i, time] of times.entries()) {
    if (Math.floor(i / 120) !== level) {
      level = Math.floor(i / 120);
      slowShare = 0.015 + 0.065 * uniform();
    }
    slow += requestsPerMinute * slowShare;
    fast += requestsPerMinute * (1 - slowShare);
    // 3% at the 1.5% slow share, minus 0.4 points per extra percent of slow requests.
    ordered += (cartViewsPerMinute * (3 - 40 * (slowShare - 0.015))) / 100;
    for (const [le, samples] of buckets) {
      const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
      // Fast requests take 60 ms (bucket ≤ 0.075), slow ones 600 ms (bucket ≤ 0.75).
      const value = (bound >= 0.075 ? fast : 0) + (bound >= 0.75 ? slow : 0);
      samples.push({ time, value });
    }
    counts.push({ time, value: fast + slow });
    sums.push({ time, value: fast * 0.06 + slow * 0.6 });
    cartViews.push({ time, value: cartViewsPerMinute * (i + 1) });
    orders.push({ time, value: ordered });
  }
  return [
    {
      name: 'http_server_request_duration_bucket',
      type: 'gauge',
      series: [...buckets].map(([le, samples]) => ({ labels: { le }, samples })),
    },
    { name: 'http_server_request_duration_count', type: 'gauge', series: [{ samples: counts }] },
    { name: 'http_server_request_duration_sum', type: 'gauge', series: [{ samples: sums }] },
    {
      name: 'business_funnel_step',
      type: 'counter',
      series: [
        { labels: { step: 'cart_view' }, samples: cartViews },
        { labels: { step: 'order_confirmed' }, samples: orders },
      ],
    },
  ];
}
