'use client';
import { useContext, useMemo } from 'react';
import { EngagementContext } from './engagementContext';
import { guard } from './useEngagementTracking';

/** What `useFunnelStep` returns. */
export interface FunnelStepTracking {
  /**
   * Reports a funnel step (`business_funnel_step_total{step}`). The ingest endpoint records only
   * the steps it allows from clients; conversions and revenue stay server-side.
   */
  trackFunnelStep(step: string): void;
}

/**
 * Funnel steps that happen in the browser, e.g. `cart_view`.
 *
 * @example
 * const { trackFunnelStep } = useFunnelStep();
 * useEffect(() => trackFunnelStep('cart_view'), [trackFunnelStep]);
 */
export function useFunnelStep(): FunnelStepTracking {
  const client = useContext(EngagementContext);
  return useMemo(
    () => ({
      trackFunnelStep: (step: string) =>
        guard(() => {
          if (client !== null) client.send({ type: 'funnel_step', step, at: Date.now() });
        }),
    }),
    [client],
  );
}
