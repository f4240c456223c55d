import { ExportResultCode } from '@opentelemetry/core';
import {
  AggregationTemporality,
  AggregationType,
  DataPointType,
  InMemoryMetricExporter,
  InstrumentType,
  MeterProvider,
  PeriodicExportingMetricReader,
  type AggregationOption,
  type MetricData,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { CountingMetricExporter, ExportFailureTally } from '../index';

/** An in-memory exporter that also selects an aggregation, as the OTLP exporter and others may. */
class SelectingExporter extends InMemoryMetricExporter implements PushMetricExporter {
  constructor(private readonly aggregation: (type: InstrumentType) => AggregationOption) {
    super(AggregationTemporality.DELTA);
  }

  selectAggregation(type: InstrumentType): AggregationOption {
    return this.aggregation(type);
  }
}

const exponential = (type: InstrumentType): AggregationOption =>
  type === InstrumentType.HISTOGRAM ? { type: AggregationType.EXPONENTIAL_HISTOGRAM } : { type: AggregationType.DEFAULT };

describe('CountingMetricExporter', () => {
  it('forwards what the wrapped exporter selects: temporality and aggregation', () => {
    const inner = new SelectingExporter(exponential);
    const counting = new CountingMetricExporter(inner, 'test', new ExportFailureTally());
    for (const type of Object.values(InstrumentType)) {
      expect(counting.selectAggregationTemporality?.(type)).toBe(AggregationTemporality.DELTA);
      expect(counting.selectAggregation?.(type)).toEqual(exponential(type));
    }
  });

  it('selects nothing where the wrapped exporter selects nothing (the reader keeps its defaults)', () => {
    const bare: PushMetricExporter = { export: (_metrics, done) => done({ code: ExportResultCode.SUCCESS }), forceFlush: async () => undefined, shutdown: async () => undefined };
    const counting = new CountingMetricExporter(bare, 'bare', new ExportFailureTally());
    expect(counting.selectAggregation).toBeUndefined();
    expect(counting.selectAggregationTemporality).toBeUndefined();
  });

  it('gives a reader the aggregation of the exporter it wraps, as if unwrapped', async () => {
    const inner = new SelectingExporter(exponential);
    const reader = new PeriodicExportingMetricReader({ exporter: new CountingMetricExporter(inner, 'test', new ExportFailureTally()), exportIntervalMillis: 3_600_000 });
    const provider = new MeterProvider({ readers: [reader] });
    provider.getMeter('t').createHistogram('latency').record(0.25);
    await provider.forceFlush();
    const [batch]: ResourceMetrics[] = inner.getMetrics();
    const latency: MetricData | undefined = batch?.scopeMetrics[0]?.metrics[0];
    expect(latency?.dataPointType).toBe(DataPointType.EXPONENTIAL_HISTOGRAM);
    expect(latency?.aggregationTemporality).toBe(AggregationTemporality.DELTA);
    await provider.shutdown();
  });
});
