import { setTimeout as sleep } from 'node:timers/promises';
import { runJourney, type JourneyOutcome, type JourneyResult } from './shopperJourney';
import { planShopper } from './shopperPlan';
import type { TrafficLedger } from './trafficLedger';

/** Options of `runTraffic`. */
export interface TrafficOptions {
  /** Shop base URL, e.g. `http://127.0.0.1:3000`. */
  readonly baseUrl: string;
  /** New shoppers per second. */
  readonly rate: number;
  /** Seconds during which shoppers arrive (journeys under way then finish). */
  readonly durationSeconds: number;
  /** Seed of every random choice: same seed, same shoppers, same requests. */
  readonly seed: number;
  /** Multiplies think times between requests. @default 1 */
  readonly thinkScale?: number;
  /** Stops arrivals and aborts journeys under way. */
  readonly signal?: AbortSignal;
  /** Enters every acknowledged step, order, refund, user and engagement event; finished when the run ends. */
  readonly ledger?: TrafficLedger;
  /** Called as each journey ends. */
  readonly onJourney?: (result: JourneyResult) => void;
}

export interface TrafficStats {
  shoppers: number;
  revenueCents: number;
  outcomes: Record<JourneyOutcome, number>;
}

export function emptyStats(): TrafficStats {
  return { shoppers: 0, revenueCents: 0, outcomes: { ordered: 0, declined: 0, failed: 0, abandoned: 0, aborted: 0, network_error: 0 } };
}

/**
 * Sends `rate × durationSeconds` simulated shoppers, shopper `i` arriving at `i / rate` seconds,
 * each walking its seeded plan concurrently with the others. Resolves when every journey has ended.
 */
export async function runTraffic(options: TrafficOptions, stats: TrafficStats = emptyStats()): Promise<TrafficStats> {
  if (!(options.rate > 0) || !(options.durationSeconds > 0)) throw new Error('rate and duration must be positive numbers');
  const count = Math.max(1, Math.floor(options.rate * options.durationSeconds));
  const intervalMs = 1000 / options.rate;
  const started = performance.now();
  const journeys: Promise<void>[] = [];
  for (let index = 0; index < count; index += 1) {
    const wait = started + index * intervalMs - performance.now();
    if (wait > 0) await sleep(wait, undefined, { signal: options.signal }).catch(() => undefined);
    if (options.signal?.aborted) break;
    stats.shoppers += 1;
    const plan = planShopper(options.seed, index);
    journeys.push(
      runJourney(plan, { baseUrl: options.baseUrl, thinkScale: options.thinkScale ?? 1, signal: options.signal, ledger: options.ledger }).then((result) => {
        stats.outcomes[result.outcome] += 1;
        stats.revenueCents += result.revenueCents;
        options.onJourney?.(result);
      }),
    );
  }
  await Promise.all(journeys);
  options.ledger?.finish();
  return stats;
}
