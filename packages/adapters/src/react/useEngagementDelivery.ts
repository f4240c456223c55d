'use client';
import { useContext, useMemo } from 'react';
import type { DeliveryStats } from './deliveryQueue';
import { EngagementContext } from './engagementContext';

/** What `useEngagementDelivery` returns. */
export interface EngagementDelivery {
  /** Counters of the provider's queue (sent, dropped, failed sends, queued); zeros outside a provider. */
  stats(): DeliveryStats;
  /** Sends what is queued now, e.g. before a client-side logout redirect. */
  flush(): Promise<void>;
}

/** The provider's delivery queue, for a debug panel or to flush before navigating away. */
export function useEngagementDelivery(): EngagementDelivery {
  const client = useContext(EngagementContext);
  return useMemo(
    () => ({
      stats: () => client?.stats() ?? { sent: 0, dropped: 0, failedSends: 0, queued: 0 },
      flush: async () => client?.queue.flush(),
    }),
    [client],
  );
}
