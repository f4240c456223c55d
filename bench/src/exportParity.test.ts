// "What is exported stays identical": the same guide calls recorded through bizmetrics, through raw
// OpenTelemetry (sync instruments + the guide's bucket views) and through the guide's prom-client
// code must give the same series and values. bizmetrics keeps counter sums in its own series
// table and reports them through observable instruments; these tests are what proves that
// shortcut invisible to Prometheus and to delta (OTLP-style) readers.
import { setupBusinessMetrics, businessViews } from '@bizmetrics/core';
import { parseExposition } from '@bizmetrics/test-support';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import {
  AggregationTemporality,
  DataPointType,
  MeterProvider,
  MetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { createGuidePromClientService } from '@bizmetrics/test-support';
import { createGuideWorkload, type GuideService } from './guideWorkload';
import { createRawOtelService, rawOtelViews } from './rawOtelService';

// Only Date is faked: durations (Date.now() - sessionStartTime) must be equal across contenders
// that record the same call a few microseconds apart. The SDK's timers stay real.
beforeEach(() => {
  jest.useFakeTimers({
    now: new Date('2026-03-02T10:00:00Z'),
    doNotFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'nextTick', 'queueMicrotask', 'hrtime', 'performance'],
  });
});
afterEach(() => jest.useRealTimers());

/** One phase of traffic: every workload combination a few times, plus the guide's defaults. */
function recordPhase(service: GuideService, phase: number): void {
  const workload = createGuideWorkload(1000 + phase);
  for (let repeat = 0; repeat < 3; repeat++) {
    for (const call of workload.funnelSteps) service.recordFunnelStep(call.step, call.metadata);
    for (const call of workload.conversions) service.recordConversion(call.type, call.metadata);
    for (const call of workload.revenue) service.recordRevenue(call.amountCents, call.metadata);
    for (const call of workload.featureUsage) service.recordFeatureUsage(call.featureName, call.metadata);
    for (const call of workload.sessionEnds) service.recordSessionEnd(call.sessionStartTime, call.metadata);
  }
  for (const call of workload.activeUsers) service.updateActiveUsers(call.window, call.counts);
  // The guide's own edge cases: no experiment variant, an empty one, a boolean label.
  service.recordFunnelStep('order_confirmed', { source: 'newsletter', deviceType: 'tablet' });
  service.recordFunnelStep('order_confirmed', { source: 'newsletter', deviceType: 'tablet', experimentVariant: '' });
  service.recordFeatureUsage('dashboard_export', { userTier: 'enterprise', isNewUser: false });
  service.recordRevenue(1, { productCategory: 'books', paymentMethod: 'card', region: 'eu' });
  service.recordSessionEnd(new Date(Date.now() - 5_400_000), { userTier: 'free', entryPage: '/' });
}

/**
 * The exposition without what legitimately differs: scope labels, the resource, our self-metrics,
 * the revenue-per-minute gauge, which bizmetrics computes from recordRevenue (the guide only
 * declares it), and counter samples at 0: bizmetrics creates the series of a label's known values
 * (every funnel step, every refund reason) at 0 beside the first one recorded, so that rate() sees
 * their first increment. Samples are sorted within each family, since those zero series are
 * created (and so exported) in catalog order, not in the order the calls first reached them.
 */
function comparable(exposition: string): string {
  // Family name to its header lines and samples; families are compared in name order (readers
  // export them in storage order, which views change without changing any data).
  const families = new Map<string, { headers: string[]; samples: string[] }>();
  let current: { headers: string[]; samples: string[] } | undefined;
  for (const line of exposition.split('\n')) {
    const name = /^# (?:HELP|TYPE|UNIT) (\S+)/.exec(line)?.[1];
    if (name !== undefined) {
      const skipped = name === 'target_info' || name === 'business_revenue_per_minute_cents' || name.startsWith('bizmetrics_');
      current = skipped ? undefined : (families.get(name) ?? { headers: [], samples: [] });
      if (current !== undefined) families.set(name, current);
    }
    if (current === undefined || line === '' || /^\w+_total\{.*\} 0$/.test(line)) continue;
    const cleaned = line.replace(/,?otel_scope_(?:name|version|schema_url)="[^"]*"/g, '').replace('{,', '{');
    if (name !== undefined) current.headers.push(cleaned);
    else current.samples.push(cleaned);
  }
  return [...families.keys()]
    .sort()
    .flatMap((name) => {
      const family = families.get(name);
      return family === undefined ? [] : [...family.headers, ...family.samples.sort()];
    })
    .join('\n');
}

/**
 * Sample lines as `name{labels sorted} value`, sorted: what a Prometheus query can see. Values are
 * rounded to 12 significant digits: the SDK adds a histogram's sum per collection interval and
 * then across intervals, prom-client in one run, so float sums may differ in the last bit.
 */
function samples(exposition: string): string[] {
  return parseExposition(comparable(exposition))
    .map((sample) => {
      // The guide's prom-client code has no currency label; ours (and the raw OTel baseline) add it.
      const labels = Object.entries(sample.labels)
        .filter(([name]) => name !== 'currency')
        .map(([name, value]) => `${name}=${JSON.stringify(value)}`);
      return `${sample.name}{${labels.sort().join(',')}} ${Number(sample.value.toPrecision(12))}`;
    })
    .sort();
}

class DeltaReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.DELTA });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** Counter and histogram points (gauges differ by design: observable ones report every interval). */
function points(metrics: ResourceMetrics): string[] {
  const out: string[] = [];
  for (const scope of metrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      const name = metric.descriptor.name;
      if (!name.startsWith('business_') || metric.dataPointType === DataPointType.GAUGE) continue;
      expect(metric.aggregationTemporality).toBe(AggregationTemporality.DELTA);
      for (const point of metric.dataPoints) {
        const attributes = JSON.stringify(Object.entries(point.attributes).sort());
        const value = point.value as number | { buckets: { counts: number[] }; sum?: number; count: number };
        const shown = typeof value === 'number' ? String(value) : `${value.buckets.counts.join('/')} sum=${value.sum} count=${value.count}`;
        // Zero sums left out: observable counters observe every live series on every collection
        // (the specification's rule), so an idle series gives a delta of 0 where a sync counter gives none.
        if (shown === '0') continue;
        out.push(`${name} ${attributes} ${shown}`);
      }
    }
  }
  return out.sort();
}

function createContenders() {
  const bm = setupBusinessMetrics({ serviceName: 'parity' });
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const provider = new MeterProvider({ views: rawOtelViews(), readers: [exporter] });
  const raw = createRawOtelService(provider.getMeter('raw-otel'));
  const serializer = new PrometheusSerializer();
  const prom = createGuidePromClientService();
  return {
    bm,
    raw,
    prom,
    rawScrape: async () => serializer.serialize((await exporter.collect()).resourceMetrics),
    shutdown: async () => {
      await bm.shutdown();
      await provider.shutdown();
    },
  };
}

describe('export parity', () => {
  it('gives the same Prometheus exposition as raw OpenTelemetry, line for line (sorted within a family), scrape after scrape', async () => {
    const { bm, raw, rawScrape, shutdown } = createContenders();
    try {
      for (let phase = 0; phase < 3; phase++) {
        recordPhase(bm.service, phase);
        recordPhase(raw, phase);
        jest.setSystemTime(Date.now() + 60_000);
        const ours = comparable(await bm.getMetrics());
        const theirs = comparable(await rawScrape());
        expect(ours.split('\n').length).toBeGreaterThan(400);
        expect(ours).toBe(theirs);
      }
      expect(bm.metrics.refusedCount()).toBe(0);
    } finally {
      await shutdown();
    }
  });

  it('gives the same samples as the guide’s prom-client code, so the guide’s queries see the same data', async () => {
    const { bm, prom, shutdown } = createContenders();
    try {
      for (let phase = 0; phase < 2; phase++) {
        recordPhase(bm.service, phase);
        recordPhase(prom.service, phase);
        const ours = samples(await bm.getMetrics());
        const guide = samples(await prom.service.getMetrics());
        expect(ours.length).toBeGreaterThan(400);
        expect(ours).toEqual(guide);
      }
    } finally {
      await shutdown();
    }
  });

  it('reports the same deltas as raw OpenTelemetry to a delta-temporality reader', async () => {
    const ourReader = new DeltaReader();
    const ourProvider = new MeterProvider({ views: businessViews(), readers: [ourReader] });
    const ours = setupBusinessMetrics({ meterProvider: ourProvider });
    const rawReader = new DeltaReader();
    const rawProvider = new MeterProvider({ views: rawOtelViews(), readers: [rawReader] });
    const raw = createRawOtelService(rawProvider.getMeter('raw-otel'));

    try {
      for (let phase = 0; phase < 3; phase++) {
        // Phase 2 records nothing new for most series: deltas must be empty there, not repeated.
        if (phase !== 2) {
          recordPhase(ours.service, phase);
          recordPhase(raw, phase);
        } else {
          ours.service.recordFunnelStep('cart_view', { source: 'direct', deviceType: 'desktop' });
          raw.recordFunnelStep('cart_view', { source: 'direct', deviceType: 'desktop' });
        }
        jest.setSystemTime(Date.now() + 60_000);
        const ourPoints = points((await ourReader.collect()).resourceMetrics);
        const rawPoints = points((await rawReader.collect()).resourceMetrics);
        expect(ourPoints.length).toBeGreaterThan(phase === 2 ? 0 : 100);
        expect(ourPoints).toEqual(rawPoints);
      }
    } finally {
      await ourProvider.shutdown();
      await rawProvider.shutdown();
    }
  });

  it('stays identical with a cumulative and a delta reader on one provider, collected in turns', async () => {
    // Observable callbacks run once per reader's collection; the SDK hands each observed change to
    // every reader. Skipping unchanged sums in the callback must not starve either reader.
    const build = () => {
      const prometheus = new PrometheusExporter({ preventServerStart: true });
      const delta = new DeltaReader();
      return { prometheus, delta };
    };
    const ourReaders = build();
    const ourProvider = new MeterProvider({ views: businessViews(), readers: [ourReaders.prometheus, ourReaders.delta] });
    const ours = setupBusinessMetrics({ meterProvider: ourProvider });
    const rawReaders = build();
    const rawProvider = new MeterProvider({ views: rawOtelViews(), readers: [rawReaders.prometheus, rawReaders.delta] });
    const raw = createRawOtelService(rawProvider.getMeter('raw-otel'));
    const serializer = new PrometheusSerializer();
    const scrape = async (exporter: PrometheusExporter) => comparable(serializer.serialize((await exporter.collect()).resourceMetrics));
    try {
      for (let phase = 0; phase < 4; phase++) {
        if (phase !== 2) {
          recordPhase(ours.service, phase);
          recordPhase(raw, phase);
        }
        jest.setSystemTime(Date.now() + 60_000);
        // Alternate which reader collects first, and let the delta reader skip phase 1 entirely.
        if (phase % 2 === 0) {
          expect(await scrape(ourReaders.prometheus)).toBe(await scrape(rawReaders.prometheus));
        }
        if (phase !== 1) {
          const ourPoints = points((await ourReaders.delta.collect()).resourceMetrics);
          expect(ourPoints).toEqual(points((await rawReaders.delta.collect()).resourceMetrics));
          expect(ourPoints.length).toBeGreaterThan(phase === 2 ? 0 : 100);
        }
        if (phase % 2 === 1) {
          expect(await scrape(ourReaders.prometheus)).toBe(await scrape(rawReaders.prometheus));
        }
      }
    } finally {
      await ourProvider.shutdown();
      await rawProvider.shutdown();
    }
  });
});
