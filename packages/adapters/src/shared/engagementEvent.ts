// Wire format between the React hooks (browser) and the Express ingest endpoint (server).
// Types and plain constants only: the browser bundle must not pull in schema or SDK code.

/** A feature the user interacted with (`business_feature_usage_total`). */
export interface FeatureUsageEvent {
  readonly type: 'feature_usage';
  readonly feature: string;
  readonly userTier: string;
  readonly isNewUser: boolean;
  /** Client wall-clock time of the event, milliseconds since the epoch. */
  readonly at: number;
}

/** An engagement milestone (recorded as funnel step `milestone_<name>`, as in the guide). */
export interface MilestoneEvent {
  readonly type: 'milestone';
  readonly milestone: string;
  readonly at: number;
}

/** The end of a session (`business_session_duration_seconds`). */
export interface SessionEndEvent {
  readonly type: 'session_end';
  readonly durationSeconds: number;
  readonly userTier: string;
  readonly entryPage: string;
  readonly at: number;
}

/** A funnel step a client may report (only steps the server allows, never conversions or revenue). */
export interface FunnelStepEvent {
  readonly type: 'funnel_step';
  readonly step: string;
  readonly at: number;
}

export type EngagementEvent = FeatureUsageEvent | MilestoneEvent | SessionEndEvent | FunnelStepEvent;

/** Body of one POST to the ingest endpoint. */
export interface EngagementBatch {
  readonly events: readonly EngagementEvent[];
}

/** Default path of the ingest endpoint. */
export const defaultIngestPath = '/bizmetrics/events';
/** Most events one batch may carry. */
export const maxEventsPerBatch = 50;
/** Largest accepted body, in bytes. */
export const maxBatchBytes = 16 * 1024;
