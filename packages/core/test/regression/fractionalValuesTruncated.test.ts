// Bug: the guarded instruments passed ValueType 1 (DOUBLE) for integer metrics and 0 (INT) for all
// others, the wrong way round. The SDK truncates values of INT instruments, so a 45.75 s session was
// recorded as 45 s and a revenue-per-minute gauge of 4200.5 cents as 4200.
import { ValueType } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { businessViews, setupBusinessMetrics } from '../../src/index';
import { parseExposition, sampleValue } from '@bizmetrics/test-support';

describe('regression: fractional values of non-integer metrics were truncated', () => {
  it('keeps fractions of seconds and of gauge values', async () => {
    const bm = setupBusinessMetrics();
    bm.metrics.observe('business_session_duration_seconds', 45.75, { user_tier: 'pro', entry_page: '/' });
    bm.metrics.observe('business_time_to_conversion_seconds', 0.5, { conversion_type: 'purchase' });
    bm.metrics.set('business_revenue_per_minute_cents', 4200.5, { region: 'eu' });
    const samples = parseExposition(await bm.getMetrics());
    expect(sampleValue(samples, 'business_session_duration_seconds_sum')).toBe(45.75);
    expect(sampleValue(samples, 'business_time_to_conversion_seconds_sum')).toBe(0.5);
    expect(sampleValue(samples, 'business_revenue_per_minute_cents', { region: 'eu' })).toBe(4200.5);
    await bm.shutdown();
  });

  it('declares integer metrics INT and the others DOUBLE', async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const provider = new MeterProvider({ views: businessViews(), readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 })] });
    const bm = setupBusinessMetrics({ meterProvider: provider });
    bm.service.recordRevenue(100, { productCategory: 'books', paymentMethod: 'card', region: 'eu' });
    bm.metrics.observe('business_session_duration_seconds', 1, {});
    bm.metrics.set('business_active_users', 3, {});
    await provider.forceFlush();
    const types = new Map(exporter.getMetrics()[0]?.scopeMetrics.flatMap((s) => s.metrics.map((m) => [m.descriptor.name, m.descriptor.valueType])));
    expect(types.get('business_revenue_cents')).toBe(ValueType.INT);
    expect(types.get('business_order_value_cents')).toBe(ValueType.INT);
    expect(types.get('business_active_users')).toBe(ValueType.INT);
    expect(types.get('business_session_duration_seconds')).toBe(ValueType.DOUBLE);
    await provider.shutdown();
  });
});
