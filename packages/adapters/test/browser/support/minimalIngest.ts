// TEMPORARY STAND-IN for the real ingest endpoint, which is written in parallel in
// `packages/adapters/src/express/` (`ingestRouter(runtime, options)`). It exists only so that the
// browser test can run before the two branches meet; when they do, the e2e test mounts the real
// router instead and this file is deleted. It knows just enough of the wire format to record the
// four event types through the guide's service, and accepts text/plain (sendBeacon) and JSON.
import type { BusinessMetricsService } from '@bizmetrics/core';
import express, { type RequestHandler } from 'express';
import { maxBatchBytes, type EngagementEvent } from '../../../src/shared/engagementEvent';

/** One request the stand-in received, for assertions on how the browser delivered. */
export interface ReceivedBatch {
  readonly contentType: string;
  readonly events: readonly EngagementEvent[];
}

function isEvent(value: unknown): value is EngagementEvent {
  const event = value as Record<string, unknown> | null;
  if (typeof event !== 'object' || event === null) return false;
  switch (event['type']) {
    case 'feature_usage':
      return typeof event['feature'] === 'string' && typeof event['userTier'] === 'string' && typeof event['isNewUser'] === 'boolean';
    case 'session_end':
      return typeof event['durationSeconds'] === 'number' && typeof event['userTier'] === 'string' && typeof event['entryPage'] === 'string';
    case 'milestone':
      return typeof event['milestone'] === 'string';
    case 'funnel_step':
      return typeof event['step'] === 'string';
    default:
      return false;
  }
}

export function minimalIngest(service: BusinessMetricsService, received: ReceivedBatch[]): RequestHandler[] {
  const parseText = express.text({ type: ['text/plain', 'application/json'], limit: maxBatchBytes });
  const record: RequestHandler = (request, response) => {
    let events: unknown;
    try {
      events = (JSON.parse(String(request.body)) as { events?: unknown }).events;
    } catch {
      response.status(400).send('body must be JSON: {"events": [...]}');
      return;
    }
    if (!Array.isArray(events) || !events.every(isEvent)) {
      response.status(400).send('events must be an array of engagement events');
      return;
    }
    received.push({ contentType: request.get('content-type') ?? '', events });
    for (const event of events) {
      if (event.type === 'feature_usage') {
        service.recordFeatureUsage(event.feature, { userTier: event.userTier, isNewUser: event.isNewUser });
      } else if (event.type === 'session_end') {
        // The browser measured the duration; the guide's API wants the start as a Date.
        const start = new Date(Date.now() - event.durationSeconds * 1000);
        service.recordSessionEnd(start, { userTier: event.userTier, entryPage: event.entryPage });
      } else if (event.type === 'milestone') {
        service.recordFunnelStep(`milestone_${event.milestone}`, { source: 'in_app', deviceType: 'web', experimentVariant: 'control' });
      } else {
        service.recordFunnelStep(event.step, { source: 'in_app', deviceType: 'web' });
      }
    }
    response.status(202).end();
  };
  return [parseText, record];
}
