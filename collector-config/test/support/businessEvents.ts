import type { BusinessMetricsService } from '@bizmetrics/core';

/** One call of the guide's service API, as JSON, so a test can drive an app in another process. */
export type BusinessEvent =
  | { kind: 'funnelStep'; step: string; source: string; deviceType: string; experimentVariant?: string }
  | { kind: 'conversion'; conversionType: string; source: string; deviceType: string; secondsToConvert: number }
  | { kind: 'revenue'; cents: number; productCategory: string; paymentMethod: string; region: string }
  | { kind: 'featureUsage'; featureName: string; userTier: string; isNewUser: boolean }
  | { kind: 'sessionEnd'; seconds: number; userTier: string; entryPage: string }
  | { kind: 'activeUsers'; window: 'daily' | 'weekly' | 'monthly'; counts: Record<string, number> };

const secondsAgo = (seconds: number): Date => new Date(Date.now() - seconds * 1000);

/** Calls the guide method an event stands for. */
export function applyBusinessEvent(service: BusinessMetricsService, event: BusinessEvent): void {
  switch (event.kind) {
    case 'funnelStep':
      service.recordFunnelStep(event.step, {
        source: event.source,
        deviceType: event.deviceType,
        ...(event.experimentVariant ? { experimentVariant: event.experimentVariant } : {}),
      });
      return;
    case 'conversion':
      service.recordConversion(event.conversionType, {
        source: event.source,
        deviceType: event.deviceType,
        sessionStartTime: secondsAgo(event.secondsToConvert),
      });
      return;
    case 'revenue':
      service.recordRevenue(event.cents, { productCategory: event.productCategory, paymentMethod: event.paymentMethod, region: event.region });
      return;
    case 'featureUsage':
      service.recordFeatureUsage(event.featureName, { userTier: event.userTier, isNewUser: event.isNewUser });
      return;
    case 'sessionEnd':
      service.recordSessionEnd(secondsAgo(event.seconds), { userTier: event.userTier, entryPage: event.entryPage });
      return;
    case 'activeUsers':
      service.updateActiveUsers(event.window, new Map(Object.entries(event.counts)));
      return;
  }
}
