// OTLP/HTTP with delta temporality, end to end. A second collector stands in for the OTLP backend
// and writes what it receives to a file (fixtures/otlpFileSink.yaml). Two apps record the same events:
//   app "direct"  (temporality: 'delta') --OTLP/HTTP--> backend: the SDK itself sends deltas;
//   app "gateway" (temporality: 'delta') --OTLP/HTTP--> otelcol-bizmetrics (base + otelcol/profiles/otlphttp.yaml)
//       --otlp_http--> backend: our delta pipeline (cumulative_to_delta) passes SDK deltas through
//       untouched rather than dropping or re-accumulating them.
// For both, the file's points must be DELTA (aggregationTemporality 1), several per series, and add
// up to exactly what was recorded.
import { join, resolve } from 'node:path';
import { startBusinessApp, type BusinessApp } from '../support/businessAppProcess';
import type { BusinessEvent } from '../support/businessEvents';
import { startCollector } from '../support/collectorProcess';
import { sleep, waitUntil } from '@bizmetrics/test-support';
import { readOtlpJsonFile, type OtlpJsonPoint } from '../support/otlpJsonFile';
import { e2eWorkspace } from '../support/e2eWorkspace';

const order = (cents: number, region: string): BusinessEvent => ({ kind: 'revenue', cents, productCategory: 'books', paymentMethod: 'card', region });
const cartView = (source: string): BusinessEvent => ({ kind: 'funnelStep', step: 'cart_view', source, deviceType: 'mobile' });

// Three batches, pushed in three different export intervals.
const batches: BusinessEvent[][] = [
  [order(1000, 'eu_west'), order(2500, 'us_east'), cartView('organic'), cartView('google_ads')],
  [order(700, 'eu_west'), order(300, 'eu_west'), cartView('organic')],
  [order(4000, 'us_east'), order(1200, 'eu_west'), cartView('organic'), cartView('organic'), cartView('google_ads')],
];

function totalsBy<T extends BusinessEvent['kind']>(kind: T, key: (event: Extract<BusinessEvent, { kind: T }>) => string, value: (event: Extract<BusinessEvent, { kind: T }>) => number) {
  const totals: Record<string, number> = {};
  for (const event of batches.flat()) {
    if (event.kind !== kind) continue;
    const typed = event as Extract<BusinessEvent, { kind: T }>;
    totals[key(typed)] = (totals[key(typed)] ?? 0) + value(typed);
  }
  return totals;
}

function sumPoints(points: readonly OtlpJsonPoint[], metric: string, label: string): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const point of points) if (point.metric === metric) sums[point.attributes[label] ?? ''] = (sums[point.attributes[label] ?? ''] ?? 0) + point.value;
  return sums;
}

describe('OTLP/HTTP delta temporality through the collector', () => {
  const { processes, workDir } = e2eWorkspace('delta');
  const receivedFile = join(workDir, 'received.jsonl');
  const apps: BusinessApp[] = [];
  const instances = ['checkout-direct', 'checkout-gateway'];

  beforeAll(async () => {
    const backend = await startCollector(processes, {
      name: 'otlp-backend',
      workDir,
      configs: [resolve(__dirname, '../fixtures/otlpFileSink.yaml')],
      env: { BIZMETRICS_FILE_PATH: receivedFile },
    });
    const gateway = await startCollector(processes, {
      name: 'gateway',
      workDir,
      configs: ['otelcol/base.yaml', 'otelcol/profiles/otlphttp.yaml'],
      env: { BIZMETRICS_OTLP_EXPORT_ENDPOINT: backend.otlpHttpUrl },
    });
    for (const [instanceId, url] of [
      ['checkout-direct', backend.otlpHttpUrl],
      ['checkout-gateway', gateway.otlpHttpUrl],
    ] as const) {
      apps.push(
        await startBusinessApp(processes, { name: instanceId, instanceId, workDir, otlpUrl: `${url}/v1/metrics`, exportIntervalMillis: 1000, temporality: 'delta' }),
      );
    }
  });

  beforeAll(async () => {
    for (const batch of batches) {
      await Promise.all(apps.map((app) => app.record(batch)));
      await sleep(2500);
    }
  });

  test.each(instances)('the backend receives DELTA points that add up to what was recorded (%s)', async (instance) => {
    const revenueByRegion = totalsBy('revenue', (e) => e.region, (e) => e.cents);
    const cartViewsBySource = totalsBy('funnelStep', (e) => e.source, () => 1);
    const ordersByCategory = totalsBy('revenue', (e) => e.productCategory, () => 1);

    const points = await waitUntil(
      async () => {
        const read = readOtlpJsonFile(receivedFile).filter((point) => point.resource['service.instance.id'] === instance);
        return isEqual(sumPoints(read, 'business_revenue_cents', 'region'), revenueByRegion) &&
          isEqual(sumPoints(read, 'business_funnel_step', 'source'), cartViewsBySource)
          ? read
          : false;
      },
      {
        description: 'the backend file to add up to the recorded totals',
        timeoutMs: 30000,
        diagnostics: () => `${JSON.stringify(sumPoints(readOtlpJsonFile(receivedFile).filter((point) => point.resource['service.instance.id'] === instance), 'business_revenue_cents', 'region'))}\n${processes.logTails(10)}`,
      },
    );

    const revenue = points.filter((point) => point.metric === 'business_revenue_cents');
    const funnel = points.filter((point) => point.metric === 'business_funnel_step');
    const orderValue = points.filter((point) => point.metric === 'business_order_value_cents');
    for (const point of [...revenue, ...funnel]) {
      expect({ metric: point.metric, type: point.type, temporality: point.aggregationTemporality, monotonic: point.isMonotonic }).toEqual({
        metric: point.metric,
        type: 'sum',
        temporality: 1,
        monotonic: true,
      });
    }
    for (const point of orderValue) expect({ type: point.type, temporality: point.aggregationTemporality }).toEqual({ type: 'histogram', temporality: 1 });

    // Several non-zero deltas per series: the batches arrived as separate increments, not as one running total.
    expect(revenue.filter((point) => point.attributes['region'] === 'eu_west' && point.value > 0).length).toBeGreaterThanOrEqual(3);
    expect(revenue.filter((point) => point.attributes['region'] === 'us_east' && point.value > 0).length).toBeGreaterThanOrEqual(2);
    // Names and values as recorded (no _total suffix on the OTLP path).
    expect(sumPoints(points, 'business_revenue_cents', 'region')).toEqual(revenueByRegion);
    expect(sumPoints(points, 'business_funnel_step', 'source')).toEqual(cartViewsBySource);
    expect(sumPoints(points, 'business_order_value_cents', 'product_category')).toEqual(ordersByCategory);
    expect(orderValue.reduce((sum, point) => sum + (point.sum ?? 0), 0)).toBe(Object.values(revenueByRegion).reduce((a, b) => a + b, 0));
  });
});

function isEqual(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = Object.keys(b);
  return Object.keys(a).length === keys.length && keys.every((key) => a[key] === b[key]);
}
