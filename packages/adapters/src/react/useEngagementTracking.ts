'use client';
import { useContext, useEffect, useMemo, useRef } from 'react';
import { EngagementContext } from './engagementContext';
import { sessionKey, type EngagementConfig, type EngagementSession } from './engagementSession';

/** What `useEngagementTracking` returns; both functions keep their identity across renders. */
export interface EngagementTracking {
  /** Counts one use of a feature (`business_feature_usage_total{feature_name}`). */
  trackFeature(featureName: string): void;
  /** Records a milestone (funnel step `milestone_<name>`). */
  trackMilestone(milestone: string): void;
}

/**
 * The guide's hook: a session from mount to unmount, tab close or idle timeout, ended exactly once,
 * timed with the monotonic clock. A change of `userTier`, `entryPage` or `isNewUser` ends the
 * session and starts another, as in the guide.
 *
 * @example
 * const { trackFeature, trackMilestone } = useEngagementTracking({ userTier: 'pro', entryPage: '/dashboard', isNewUser: false });
 */
export function useEngagementTracking(config: EngagementConfig): EngagementTracking {
  const client = useContext(EngagementContext);
  const sessionRef = useRef<EngagementSession | null>(null);
  const { userTier, entryPage, isNewUser } = config;
  const key = sessionKey({ userTier, entryPage, isNewUser });

  useEffect(() => {
    if (client === null) return undefined;
    let session = sessionRef.current;
    if (session === null || session.key !== key || !session.cancelClose()) {
      session?.close('config_change');
      session = client.openSession({ userTier, entryPage, isNewUser });
      sessionRef.current = session;
    }
    const current = session;
    return () => current.closeSoon('unmount');
    // `key` stands for the three labels: a new config object with the same values keeps the session.
  }, [client, key]);

  return useMemo(
    () => ({
      trackFeature: (featureName: string) => guard(() => sessionRef.current?.trackFeature(featureName)),
      trackMilestone: (milestone: string) => guard(() => sessionRef.current?.trackMilestone(milestone)),
    }),
    [],
  );
}

/** Tracking never throws into the click handler that called it. */
export function guard(track: () => void): void {
  try {
    track();
  } catch {
    // Nothing useful to do: the event is lost, the app keeps working.
  }
}
