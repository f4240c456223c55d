// The guide's service written the way a team would write it on the OpenTelemetry API without
// bizmetrics: one sync instrument per metric, a fresh attribute object per call, and a
// MeterProvider whose views give the histograms the guide's buckets. Names, units and help texts
// come from the catalog so the expositions can be compared line for line.
import { ValueType, type Meter } from '@opentelemetry/api';
import {
  activeUsersMetric,
  conversionsMetric,
  featureUsageMetric,
  funnelStepMetric,
  orderValueMetric,
  revenueMetric,
  sessionDurationMetric,
  timeToConversionMetric,
  type MetricDefinition,
} from '@bizmetrics/core';
import { AggregationType, type ViewOptions } from '@opentelemetry/sdk-metrics';

const histograms = [timeToConversionMetric, orderValueMetric, sessionDurationMetric];

/** The views a hand-written setup passes to its MeterProvider: the guide's bucket boundaries. */
export function rawOtelViews(): ViewOptions[] {
  return histograms.map((definition) => ({
    instrumentName: definition.name,
    aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: [...definition.buckets] } },
  }));
}

function options(definition: MetricDefinition) {
  return {
    description: definition.description,
    unit: definition.unit,
    valueType: definition.valueType === 'integer' ? ValueType.INT : ValueType.DOUBLE,
  };
}

export function createRawOtelService(meter: Meter) {
  const funnelStep = meter.createCounter(funnelStepMetric.name, options(funnelStepMetric));
  const conversions = meter.createCounter(conversionsMetric.name, options(conversionsMetric));
  const timeToConversion = meter.createHistogram(timeToConversionMetric.name, options(timeToConversionMetric));
  const revenue = meter.createCounter(revenueMetric.name, options(revenueMetric));
  const orderValue = meter.createHistogram(orderValueMetric.name, options(orderValueMetric));
  const featureUsage = meter.createCounter(featureUsageMetric.name, options(featureUsageMetric));
  const sessionDuration = meter.createHistogram(sessionDurationMetric.name, options(sessionDurationMetric));
  const activeUsers = meter.createGauge(activeUsersMetric.name, options(activeUsersMetric));

  return {
    conversions,
    recordFunnelStep(step: string, metadata: { source: string; deviceType: string; experimentVariant?: string }): void {
      funnelStep.add(1, {
        step,
        source: metadata.source,
        device_type: metadata.deviceType,
        experiment_variant: metadata.experimentVariant || 'control',
      });
    },

    recordConversion(type: string, metadata: { source: string; deviceType: string; sessionStartTime: Date }): void {
      conversions.add(1, { conversion_type: type, source: metadata.source, device_type: metadata.deviceType });
      timeToConversion.record((Date.now() - metadata.sessionStartTime.getTime()) / 1000, { conversion_type: type });
    },

    recordRevenue(amountCents: number, metadata: { productCategory: string; paymentMethod: string; region: string }): void {
      // Amounts carry their ISO 4217 currency, as bizmetrics' do (one currency per deployment).
      revenue.add(amountCents, {
        product_category: metadata.productCategory,
        payment_method: metadata.paymentMethod,
        region: metadata.region,
        currency: 'USD',
      });
      orderValue.record(amountCents, { product_category: metadata.productCategory, currency: 'USD' });
    },

    recordFeatureUsage(featureName: string, metadata: { userTier: string; isNewUser: boolean }): void {
      featureUsage.add(1, { feature_name: featureName, user_tier: metadata.userTier, is_new_user: String(metadata.isNewUser) });
    },

    recordSessionEnd(sessionStartTime: Date, metadata: { userTier: string; entryPage: string }): void {
      sessionDuration.record((Date.now() - sessionStartTime.getTime()) / 1000, {
        user_tier: metadata.userTier,
        entry_page: metadata.entryPage,
      });
    },

    updateActiveUsers(window: 'daily' | 'weekly' | 'monthly', counts: Map<string, number>): void {
      for (const [userTier, count] of counts) activeUsers.record(count, { window, user_tier: userTier });
    },
  };
}

export type RawOtelService = ReturnType<typeof createRawOtelService>;
