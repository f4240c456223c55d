import type { Attributes, Meter, MeterProvider as MeterProviderApi, ObservableCallback, ObservableResult } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type SumMetricData } from '@opentelemetry/sdk-metrics';
import { businessViews, setupBusinessMetrics } from '../index';

// The specification: an SDK SHOULD NOT export an attribute set its callback stopped observing.
// So every observable callback must observe every live series on every collection, changed or
// not. These tests wrap the real MeterProvider's meters to record what each callback observes,
// collect several times through a cumulative and a delta reader, and compare with the live series.

type Observation = Map<string, Set<string>>; // instrument name → attribute sets observed in one callback run

const key = (attributes: Attributes | undefined): string => JSON.stringify(Object.entries(attributes ?? {}).sort());

/** A MeterProvider whose meters hand every observable callback a result that records what it observes. */
class RecordingMeterProvider implements MeterProviderApi {
  readonly runs: { instrument: string; observed: Set<string> }[] = [];

  constructor(private readonly inner: MeterProvider) {}

  getMeter(name: string, version?: string): Meter {
    const meter = this.inner.getMeter(name, version);
    const runs = this.runs;
    const wrapCallback =
      (instrument: string, callback: ObservableCallback): ObservableCallback =>
      (result) => {
        const observed = new Set<string>();
        runs.push({ instrument, observed });
        const recording: ObservableResult = {
          observe(value, attributes) {
            observed.add(key(attributes));
            result.observe(value, attributes);
          },
        };
        return callback(recording);
      };
    return new Proxy(meter, {
      get(target, property, receiver) {
        if (property === 'createObservableCounter' || property === 'createObservableGauge') {
          return (instrumentName: string, options?: object) => {
            const instrument =
              property === 'createObservableCounter' ? target.createObservableCounter(instrumentName, options) : target.createObservableGauge(instrumentName, options);
            return new Proxy(instrument, {
              get(inner, innerProperty, innerReceiver) {
                if (innerProperty === 'addCallback') return (callback: ObservableCallback) => inner.addCallback(wrapCallback(instrumentName, callback));
                return Reflect.get(inner, innerProperty, innerReceiver);
              },
            });
          };
        }
        if (property === 'addBatchObservableCallback') {
          throw new Error('a batch callback is not recorded by this test: add its recording first');
        }
        return Reflect.get(target, property, receiver);
      },
    });
  }
}

function setup() {
  const cumulativeExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const deltaExporter = new InMemoryMetricExporter(AggregationTemporality.DELTA);
  const readers = [cumulativeExporter, deltaExporter].map((exporter) => new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 }));
  const provider = new MeterProvider({ views: businessViews(), readers });
  const recording = new RecordingMeterProvider(provider);
  const bm = setupBusinessMetrics({ meterProvider: recording, revenueWindowClock: () => 0 });
  return { bm, provider, recording, cumulativeExporter, deltaExporter };
}

/** Live series per observable instrument, from the runtime's own tables. */
function liveSeries(bm: ReturnType<typeof setup>['bm']): Observation {
  const live: Observation = new Map();
  for (const definition of bm.metrics.catalog) {
    if (definition.kind === 'histogram') continue;
    const table = definition.kind === 'counter' ? bm.metrics.counter(definition.name).series : bm.metrics.gauge(definition.name).series;
    live.set(definition.name, new Set([...table.all()].map((series) => key(series.attributes))));
  }
  live.set('bizmetrics_refused_values', new Set([...bm.guard.refusals.snapshot()].map((count) => key(count.attributes as Attributes))));
  return live;
}

describe('observable callbacks (spec: observe every live series on every collection)', () => {
  it('observe every live series, changed or not, in every collection of a cumulative and a delta reader', async () => {
    const { bm, provider, recording } = setup();
    const shopper = { source: 'google_ads', deviceType: 'mobile' };
    const phases: (() => void)[] = [
      () => {
        bm.service.recordFunnelStep('cart_view', shopper);
        bm.service.recordFeatureUsage('export', { userTier: 'pro', isNewUser: false });
        bm.service.recordRevenue(4999, { productCategory: 'books', paymentMethod: 'card', region: 'eu' });
        bm.service.updateActiveUsers('daily', new Map([['pro', 3]]));
        bm.metrics.count('business_conversions', { conversion_type: 'a@b.example' }); // a refusal
      },
      () => bm.service.recordFunnelStep('shipping_info', shopper), // most series idle now
      () => undefined, // nothing at all
      () => bm.service.recordFeatureUsage('import', { userTier: 'free', isNewUser: true }),
    ];
    for (const phase of phases) {
      phase();
      recording.runs.length = 0;
      await provider.forceFlush(); // both readers collect: every callback runs once per reader
      const live = liveSeries(bm);
      for (const [instrument, expected] of live) {
        const runs = recording.runs.filter((run) => run.instrument === instrument);
        expect({ instrument, runs: runs.length }).toEqual({ instrument, runs: 2 });
        for (const run of runs) {
          const missing = [...expected].filter((attributes) => !run.observed.has(attributes));
          expect({ instrument, missing }).toEqual({ instrument, missing: [] });
        }
      }
    }
    // The idle funnel series is still observed (and so exported) at the end.
    expect(liveSeries(bm).get('business_funnel_step')?.size).toBe(6);
    await provider.shutdown();
  });

  it('export every live counter series in every collection: cumulative as its sum, delta as 0 when idle', async () => {
    const { bm, provider, cumulativeExporter, deltaExporter } = setup();
    bm.service.recordFeatureUsage('export', { userTier: 'pro', isNewUser: false });
    await provider.forceFlush();
    await provider.forceFlush(); // idle
    bm.service.recordFeatureUsage('export', { userTier: 'pro', isNewUser: false });
    await provider.forceFlush();
    const featureUsage = (batch: ReturnType<InMemoryMetricExporter['getMetrics']>[number]) =>
      batch.scopeMetrics.flatMap((scope) => scope.metrics).find((metric) => metric.descriptor.name === 'business_feature_usage') as SumMetricData | undefined;
    expect(cumulativeExporter.getMetrics().map((batch) => featureUsage(batch)?.dataPoints.map((point) => point.value))).toEqual([[1], [1], [2]]);
    expect(deltaExporter.getMetrics().map((batch) => featureUsage(batch)?.dataPoints.map((point) => point.value))).toEqual([[1], [0], [1]]);
    await provider.shutdown();
  });
});
