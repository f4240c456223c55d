import { diag, type Attributes, type Meter, type MeterProvider } from '@opentelemetry/api';

/** Step events that did not fit the funnel: the `kind` label of `bizmetrics_funnel_step_anomalies_total`. */
export type FunnelAnomalyKind = 'repeated' | 'out_of_order' | 'unknown_step' | 'after_end';

/** How a session left the tracker: the `outcome` label of `bizmetrics_funnel_sessions_closed_total`. */
export type FunnelOutcome = 'converted' | 'ended' | 'expired' | 'evicted';

export const funnelAnomalyKinds: readonly FunnelAnomalyKind[] = ['repeated', 'out_of_order', 'unknown_step', 'after_end'];
export const funnelOutcomes: readonly FunnelOutcome[] = ['converted', 'ended', 'expired', 'evicted'];

/** Running tallies of one funnel, read by the self-metrics at each collection. */
export interface FunnelStats {
  readonly anomalies: Record<FunnelAnomalyKind, number>;
  readonly closed: Record<FunnelOutcome, number>;
  /** Open sessions after expiring idle ones. */
  openSessions: number;
}

/** What a funnel gives the registry so its tallies can be observed. */
export interface ObservedFunnel {
  readonly name: string;
  readonly stats: FunnelStats;
  /** Expires idle sessions (they count as abandoned) and returns the number still open. */
  sweep(): number;
}

interface Attributed {
  readonly funnel: ObservedFunnel;
  readonly anomalies: readonly [FunnelAnomalyKind, Attributes][];
  readonly outcomes: readonly [FunnelOutcome, Attributes][];
  readonly open: Attributes;
}

/**
 * The funnel self-metrics of one meter: `bizmetrics_funnel_step_anomalies_total{funnel,kind}`,
 * `bizmetrics_funnel_sessions_closed_total{funnel,outcome}` and `bizmetrics_funnel_open_sessions{funnel}`.
 * Each collection first sweeps idle sessions, so abandonment is recorded even when no step arrives.
 */
export class FunnelSelfMetrics {
  private readonly funnels = new Map<string, Attributed>();

  constructor(meter: Meter) {
    const anomalies = meter.createObservableCounter('bizmetrics_funnel_step_anomalies', {
      description: 'Funnel steps not counted as given: repeated, out of order, unknown, or after the session ended',
      unit: '{step}',
    });
    const closed = meter.createObservableCounter('bizmetrics_funnel_sessions_closed', {
      description: 'Funnel sessions that left the tracker, by outcome (converted, ended, expired, evicted)',
      unit: '{session}',
    });
    const open = meter.createObservableGauge('bizmetrics_funnel_open_sessions', {
      description: 'Funnel sessions currently tracked in this process',
      unit: '{session}',
    });
    meter.addBatchObservableCallback(
      (result) => {
        for (const entry of this.funnels.values()) {
          const openSessions = entry.funnel.sweep();
          result.observe(open, openSessions, entry.open);
          for (const [kind, attributes] of entry.anomalies) result.observe(anomalies, entry.funnel.stats.anomalies[kind], attributes);
          for (const [outcome, attributes] of entry.outcomes) result.observe(closed, entry.funnel.stats.closed[outcome], attributes);
        }
      },
      [anomalies, closed, open],
    );
  }

  /** Whether a funnel of that name is already observed. */
  has(name: string): boolean {
    return this.funnels.has(name);
  }

  /** Observes `funnel`; a later funnel of the same name replaces an earlier one (define funnels once, at start-up). */
  add(funnel: ObservedFunnel): void {
    const name = funnel.name;
    if (this.funnels.has(name)) {
      diag.warn(`bizmetrics: a second funnel named "${name}" records on this meter provider; its self-metrics replace the first one's. Define each funnel once, at start-up.`);
    }
    this.funnels.set(name, {
      funnel,
      anomalies: funnelAnomalyKinds.map((kind) => [kind, Object.freeze({ funnel: name, kind })]),
      outcomes: funnelOutcomes.map((outcome) => [outcome, Object.freeze({ funnel: name, outcome })]),
      open: Object.freeze({ funnel: name }),
    });
  }
}

const registries = new WeakMap<object, FunnelSelfMetrics>();

/** The one registry per meter provider (so two funnels never register the instruments twice). */
export function funnelSelfMetricsFor(meterProvider: MeterProvider): FunnelSelfMetrics {
  let registry = registries.get(meterProvider);
  if (registry === undefined) {
    registry = new FunnelSelfMetrics(meterProvider.getMeter('bizmetrics', '0.1.0'));
    registries.set(meterProvider, registry);
  }
  return registry;
}
