// Public surface of @bizmetrics/adapters/express: each export by name, runtime and types apart.
import './requestAugmentation';

export { bizmetricsMiddleware } from './bizmetricsMiddleware';
export type { BizmetricsMiddlewareOptions } from './bizmetricsMiddleware';

export { bizmetricsErrorRecorder } from './checkout/bizmetricsErrorRecorder';
export type { ErrorRecorderOptions } from './checkout/bizmetricsErrorRecorder';
export { isServerError } from './checkout/checkoutError';
export type { CheckoutErrorPredicate } from './checkout/checkoutError';
export { defaultCheckoutRoutes } from './checkout/checkoutRoutes';
export type { CheckoutRouteMatcher } from './checkout/checkoutRoutes';
export { CheckoutStep, checkoutErrorStep } from './checkout/requestTracker';
export type { RequestTracker } from './checkout/requestTracker';

export { otherLabelValue } from '@bizmetrics/core';
export type { DeviceType } from './context/deviceType';
export type { SessionContext, SessionContextOptions } from './context/sessionContext';
export type { SessionCookieOptions } from './context/sessionCookie';

export { httpServerDurationBuckets, httpServerDurationName } from './technical/httpServerDuration';
export { maxArrayRouteLength, unmatchedRoute } from './technical/routeLabel';

export { metricsHandler, startMetricsServer } from './prometheus/metricsHandler';
export type { MetricsHandlerOptions, MetricsServer, MetricsServerOptions } from './prometheus/metricsHandler';

export { defaultClientSteps, defaultUserTiers, ingestHandler } from './ingest/ingestHandler';
export type { IngestAccepted, IngestOptions } from './ingest/ingestHandler';
export { engagementNamePattern } from './ingest/engagementSchema';
export type { RateLimitOptions } from './ingest/tokenBucket';

export type { AdapterStage, IngestRejection } from './telemetry/adapterTelemetry';
export type { BizmetricsRuntime } from './runtime';

export { defaultIngestPath, maxBatchBytes, maxEventsPerBatch } from '../shared/engagementEvent';
export type {
  EngagementBatch,
  EngagementEvent,
  FeatureUsageEvent,
  FunnelStepEvent,
  MilestoneEvent,
  SessionEndEvent,
} from '../shared/engagementEvent';
