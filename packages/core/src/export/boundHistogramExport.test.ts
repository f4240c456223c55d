import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { AggregationTemporality, DataPointType, MeterProvider, type DataPoint, type Histogram, type HistogramMetricData } from '@opentelemetry/sdk-metrics';
import { BoundHistogram, BusinessMetricsConfigError, setupBusinessMetrics } from '../index';
import { otlpAttributes, otlpMetrics, otlpTemporality, startOtlpHttpReceiver, type OtlpMetricsRequest } from '../../test/support/startOtlpHttpReceiver';
import { BoundHistograms } from './boundHistogramExport';

const boundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 1];
const descriptor = { name: 'http.server.request.duration', description: 'Duration of HTTP server requests.', unit: 's', boundaries, scope: { name: 'test-scope', version: '1.0.0' } };

async function points(histograms: BoundHistograms, temporality: AggregationTemporality): Promise<DataPoint<Histogram>[]> {
  return pointsOf(await histograms.producer(temporality).collect());
}

function pointsOf(result: Awaited<ReturnType<ReturnType<BoundHistograms['producer']>['collect']>>): DataPoint<Histogram>[] {
  const metric = result.resourceMetrics.scopeMetrics[0]?.metrics[0] as HistogramMetricData | undefined;
  return metric?.dataPoints ?? [];
}

describe('HistogramCell', () => {
  it('counts a value equal to a boundary in that bucket (Prometheus `le`), above every boundary in the last', () => {
    const cell = new BoundHistogram(descriptor).bind({ route: '/a' });
    for (const value of [0, 0.005, 0.0051, 0.05, 1, 1.5, 30]) cell.record(value);
    expect(Array.from(cell.counts)).toEqual([2, 1, 0, 1, 0, 1, 2]);
    expect(cell.count).toBe(7);
    expect(cell.sum).toBeCloseTo(32.5601, 10);
    expect([cell.min, cell.max]).toEqual([0, 30]);
  });

  it('ignores NaN and infinities', () => {
    const cell = new BoundHistogram(descriptor).bind({});
    cell.record(Number.NaN);
    cell.record(Number.POSITIVE_INFINITY);
    cell.record(0.02);
    expect(cell.count).toBe(1);
    expect(cell.sum).toBe(0.02);
  });
});

describe('BoundHistogram', () => {
  it('refuses boundaries that are not finite and ascending', () => {
    expect(() => new BoundHistogram({ ...descriptor, boundaries: [1, 1] })).toThrow(BusinessMetricsConfigError);
    expect(() => new BoundHistogram({ ...descriptor, boundaries: [0.5, Number.NaN] })).toThrow(/finite and ascending/);
  });

  it('hands out one shared overflow cell for sets the caller did not admit', () => {
    const histogram = new BoundHistogram(descriptor);
    histogram.bind({ route: '/a' }).record(0.001);
    histogram.bind({ route: '/b' }).record(0.001);
    const overflowA = histogram.overflowCell();
    const overflowB = histogram.overflowCell();
    expect(overflowA).toBe(overflowB);
    expect(overflowA.attributes).toEqual({ 'otel.metric.overflow': true });
    expect(histogram.cells()).toHaveLength(3);
  });

  it('keeps a snapshot of the attributes it was bound with', () => {
    const attributes = { route: '/a' };
    const cell = new BoundHistogram(descriptor).bind(attributes);
    attributes.route = '/changed';
    expect(cell.attributes).toEqual({ route: '/a' });
  });
});

describe('BoundHistograms producers', () => {
  it('returns the registered histogram for the same name and refuses other boundaries for it', () => {
    const histograms = new BoundHistograms();
    expect(histograms.histogram(descriptor)).toBe(histograms.histogram(descriptor));
    expect(() => histograms.histogram({ ...descriptor, boundaries: [1, 2] })).toThrow(/other bucket boundaries/);
  });

  it('cumulative: every collection carries everything since the cell was bound, from a fixed start time', async () => {
    const histograms = new BoundHistograms();
    const cell = histograms.histogram(descriptor).bind({ route: '/a' });
    const producer = histograms.producer(AggregationTemporality.CUMULATIVE);
    cell.record(0.003);
    const [first] = pointsOf(await producer.collect());
    cell.record(0.2);
    const [second] = pointsOf(await producer.collect());
    expect(first?.value).toMatchObject({ count: 1, sum: 0.003, min: 0.003, max: 0.003 });
    expect(second?.value).toMatchObject({ count: 2, sum: 0.203, min: 0.003, max: 0.2, buckets: { boundaries, counts: [1, 0, 0, 0, 0, 1, 0] } });
    expect(second?.startTime).toEqual(first?.startTime);
  });

  it('delta: each reader gets what was recorded since its own last collection; idle cells send nothing', async () => {
    const histograms = new BoundHistograms();
    const histogram = histograms.histogram(descriptor);
    const busy = histogram.bind({ route: '/busy' });
    const idle = histogram.bind({ route: '/idle' });
    const readerA = histograms.producer(AggregationTemporality.DELTA);
    const readerB = histograms.producer(AggregationTemporality.DELTA);
    busy.record(0.003);
    idle.record(0.003);
    expect((pointsOf(await readerA.collect())).map((point) => point.value.count)).toEqual([1, 1]);
    busy.record(0.02);
    busy.record(0.02);
    const second = pointsOf(await readerA.collect());
    expect(second).toHaveLength(1);
    expect(second[0]?.attributes).toEqual({ route: '/busy' });
    expect(second[0]?.value).toMatchObject({ buckets: { boundaries, counts: [0, 0, 2, 0, 0, 0, 0] }, count: 2 });
    // Cumulative sums minus what was exported: exact up to floating-point rounding.
    expect(second[0]?.value.sum).toBeCloseTo(0.04, 12);
    expect(second[0]?.value.min).toBeUndefined();
    // Reader B never collected: it gets everything.
    expect((pointsOf(await readerB.collect())).map((point) => point.value.count)).toEqual([3, 1]);
    expect(await points(histograms, AggregationTemporality.DELTA)).toHaveLength(2);
  });

  it('exports the same Prometheus text as the SDK histogram fed the same values', async () => {
    const values = [0.001, 0.004, 0.005, 0.012, 0.3, 0.3, 2];
    const attributes = { 'http.request.method': 'GET', 'http.route': '/products/:id', 'http.response.status_code': 200 };

    const sdkReader = new PrometheusExporter({ preventServerStart: true });
    const provider = new MeterProvider({ readers: [sdkReader] });
    const sdkHistogram = provider
      .getMeter(descriptor.scope.name, descriptor.scope.version)
      .createHistogram(descriptor.name, { description: descriptor.description, unit: 's', advice: { explicitBucketBoundaries: boundaries } });
    for (const value of values) sdkHistogram.record(value, attributes);

    const histograms = new BoundHistograms();
    const boundReader = new PrometheusExporter({ preventServerStart: true, metricProducers: [histograms.producer(AggregationTemporality.CUMULATIVE)] });
    const emptyProvider = new MeterProvider({ readers: [boundReader] });
    const cell = histograms.histogram(descriptor).bind(attributes);
    for (const value of values) cell.record(value);

    const serializer = new PrometheusSerializer('', false, undefined, true, false);
    const text = async (reader: PrometheusExporter) => serializer.serialize((await reader.collect()).resourceMetrics);
    const sdkText = await text(sdkReader);
    expect(sdkText).toContain('http_server_request_duration_bucket');
    expect(await text(boundReader)).toBe(sdkText);
    await Promise.all([provider.shutdown(), emptyProvider.shutdown()]);
  });
});

describe('setupBusinessMetrics: bound histograms on the runtime readers', () => {
  it('are scraped from the Prometheus endpoint', async () => {
    const bm = setupBusinessMetrics({ serviceName: 'shop' });
    const cell = bm.boundHistograms?.histogram(descriptor).bind({ 'http.route': '/a' });
    cell?.record(0.02);
    const scraped = await bm.getMetrics();
    expect(scraped).toContain('http_server_request_duration_bucket{http_route="/a",otel_scope_name="test-scope",otel_scope_version="1.0.0",le="0.025"} 1');
    await bm.shutdown();
  });

  it('are pushed over OTLP with the temporality the reader asks for', async () => {
    const receiver = await startOtlpHttpReceiver();
    try {
      const bm = setupBusinessMetrics({ serviceName: 'shop', prometheus: false, otlp: { url: receiver.metricsUrl, temporality: 'delta', exportIntervalMillis: 3_600_000 } });
      const cell = bm.boundHistograms?.histogram(descriptor).bind({ 'http.route': '/a' });
      cell?.record(0.02);
      cell?.record(0.02);
      await bm.forceFlush();
      cell?.record(0.5);
      await bm.forceFlush();
      await bm.shutdown();
      const histogramOf = (body: OtlpMetricsRequest) => otlpMetrics(body, descriptor.name)[0]?.histogram;
      const [first, second] = receiver.received.map((received) => histogramOf(received.body));
      expect(first?.aggregationTemporality).toBe(otlpTemporality.DELTA);
      expect(otlpAttributes(first?.dataPoints[0]?.attributes)).toEqual({ 'http.route': '/a' });
      expect([Number(first?.dataPoints[0]?.count), Number(second?.dataPoints[0]?.count)]).toEqual([2, 1]);
      expect(second?.dataPoints[0]?.bucketCounts?.map(Number)).toEqual([0, 0, 0, 0, 0, 1, 0]);
    } finally {
      await receiver.close();
    }
  });

  it('are absent in attach mode, where the readers belong to the caller', () => {
    const bm = setupBusinessMetrics({ meterProvider: new MeterProvider() });
    expect(bm.boundHistograms).toBeUndefined();
  });
});

// DataPointType is part of what the producer promises the readers.
it('producers emit histogram data points', async () => {
  const histograms = new BoundHistograms();
  histograms.histogram(descriptor).bind({}).record(1);
  const result = await histograms.producer(AggregationTemporality.CUMULATIVE).collect();
  expect(result.resourceMetrics.scopeMetrics[0]?.metrics[0]?.dataPointType).toBe(DataPointType.HISTOGRAM);
  expect(result.resourceMetrics.scopeMetrics[0]?.scope).toEqual({ name: 'test-scope', version: '1.0.0' });
});
