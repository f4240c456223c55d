// Public surface of @bizmetrics/adapters/react: browser-only code, no OpenTelemetry SDK.

export { BusinessMetricsProvider } from './BusinessMetricsProvider';
export type { BusinessMetricsProviderProps } from './BusinessMetricsProvider';
export { useEngagementTracking } from './useEngagementTracking';
export type { EngagementTracking } from './useEngagementTracking';
export { useFunnelStep } from './useFunnelStep';
export type { FunnelStepTracking } from './useFunnelStep';
export { useEngagementDelivery } from './useEngagementDelivery';
export type { EngagementDelivery } from './useEngagementDelivery';
export type { DeliveryStats } from './deliveryQueue';
export type { EngagementConfig } from './engagementSession';
export type {
  EngagementBatch,
  EngagementEvent,
  FeatureUsageEvent,
  FunnelStepEvent,
  MilestoneEvent,
  SessionEndEvent,
} from '../shared/engagementEvent';
