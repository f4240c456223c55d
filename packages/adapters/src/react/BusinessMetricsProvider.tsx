'use client';
import { useEffect, useState, type ReactNode } from 'react';
import { defaultIngestPath, maxEventsPerBatch } from '../shared/engagementEvent';
import { EngagementClient } from './engagementClient';
import { EngagementContext } from './engagementContext';

/** Props of `BusinessMetricsProvider`. Read once, when the provider mounts. */
export interface BusinessMetricsProviderProps {
  /**
   * URL of the ingest endpoint (same origin, or one that allows your origin).
   * @default '/bizmetrics/events'
   */
  endpoint?: string;
  /** Queued events that trigger an immediate send; at most 50. @default 20 */
  maxBatchSize?: number;
  /** Longest time an event waits before it is sent, in milliseconds. @default 5000 */
  flushIntervalMs?: number;
  /** Events kept while the endpoint is unreachable; beyond it the oldest are dropped and counted. @default 500 */
  maxQueueSize?: number;
  /** First retry delay after a failed send, in milliseconds; doubles per failure, with jitter. @default 1000 */
  retryBaseMs?: number;
  /** Longest retry delay, in milliseconds. @default 60000 */
  retryMaxMs?: number;
  /**
   * A session with no interaction (pointer, key, scroll, touch, tracked feature) for this long ends;
   * `0` turns the idle timeout off.
   * @default 1800000 (30 minutes)
   */
  idleTimeoutMs?: number;
  children?: ReactNode;
}

/**
 * Owns one delivery queue for everything below it and sends the queue by beacon when the page is
 * hidden or closed.
 *
 * @example
 * <BusinessMetricsProvider endpoint="/bizmetrics/events">
 *   <DashboardPage />
 * </BusinessMetricsProvider>
 */
export function BusinessMetricsProvider(props: BusinessMetricsProviderProps): ReactNode {
  // A state initializer, not an effect: one client per provider even when StrictMode re-runs
  // effects; its constructor has no side effects, so a discarded extra instance costs nothing.
  const [client] = useState(
    () =>
      new EngagementClient({
        endpoint: props.endpoint ?? defaultIngestPath,
        maxBatchSize: props.maxBatchSize ?? Math.min(20, maxEventsPerBatch),
        flushIntervalMs: props.flushIntervalMs ?? 5000,
        maxQueueSize: props.maxQueueSize ?? 500,
        retryBaseMs: props.retryBaseMs ?? 1000,
        retryMaxMs: props.retryMaxMs ?? 60_000,
        idleTimeoutMs: props.idleTimeoutMs ?? 30 * 60_000,
      }),
  );
  useEffect(() => {
    const detach = client.attach();
    return () => {
      detach();
      void client.queue.flush();
    };
  }, [client]);
  return <EngagementContext.Provider value={client}>{props.children}</EngagementContext.Provider>;
}
