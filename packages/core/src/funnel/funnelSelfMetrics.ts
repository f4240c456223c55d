import { diag, type Attributes, type Meter } from '@opentelemetry/api';
import { SelfCounter } from '../selfMetrics/selfCounter';

/** Step events that did not fit the funnel: the `kind` label of `bizmetrics_funnel_step_anomalies_total`. */
export type FunnelAnomalyKind = 'repeated' | 'out_of_order' | 'unknown_step' | 'after_end';

/** How a session left the tracker: the `outcome` label of `bizmetrics_funnel_sessions_closed_total`. */
export type FunnelOutcome = 'converted' | 'ended' | 'expired' | 'evicted';

export const funnelAnomalyKinds: readonly FunnelAnomalyKind[] = ['repeated', 'out_of_order', 'unknown_step', 'after_end'];
export const funnelOutcomes: readonly FunnelOutcome[] = ['converted', 'ended', 'expired', 'evicted'];

/** Running tallies of one funnel (what its self-metrics report). */
export interface FunnelStats {
  readonly anomalies: Record<FunnelAnomalyKind, number>;
  readonly closed: Record<FunnelOutcome, number>;
  /** Open sessions after expiring idle ones. */
  openSessions: number;
}

/** What a funnel gives the self-metrics so its open sessions can be swept and observed. */
export interface ObservedFunnel {
  readonly name: string;
  /** Expires idle sessions (they count as abandoned) and returns the number still open. */
  sweep(): number;
}

/**
 * The funnel self-metrics of one runtime: `bizmetrics_funnel_step_anomalies_total{funnel,kind}`,
 * `bizmetrics_funnel_sessions_closed_total{funnel,outcome}` and `bizmetrics_funnel_open_sessions{funnel}`.
 * Each collection first sweeps idle sessions, so abandonment is recorded even when no step arrives.
 */
export class FunnelSelfMetrics {
  readonly anomalies = new SelfCounter({
    name: 'bizmetrics_funnel_step_anomalies',
    description: 'Funnel steps not counted as given: repeated, out of order, unknown, or after the session ended',
    unit: '{step}',
    labels: ['funnel', 'kind'],
  });
  readonly closed = new SelfCounter({
    name: 'bizmetrics_funnel_sessions_closed',
    description: 'Funnel sessions that left the tracker, by outcome (converted, ended, expired, evicted)',
    unit: '{session}',
    labels: ['funnel', 'outcome'],
  });
  private readonly funnels = new Map<string, { readonly funnel: ObservedFunnel; readonly open: Attributes }>();

  constructor(meter: Meter) {
    const open = meter.createObservableGauge('bizmetrics_funnel_open_sessions', {
      description: 'Funnel sessions currently open: in this process, or in the shared session store (the same on every replica: aggregate with max)',
      unit: '{session}',
    });
    // The sweep runs before the counters are read: the gauge's callback is registered first.
    open.addCallback((result) => {
      for (const entry of this.funnels.values()) result.observe(entry.funnel.sweep(), entry.open);
    });
    this.anomalies.observeOn(meter);
    this.closed.observeOn(meter);
  }

  /** Observes `funnel`; a later funnel of the same name replaces an earlier one (define funnels once, at start-up). */
  add(funnel: ObservedFunnel): void {
    const name = funnel.name;
    if (this.funnels.has(name)) {
      diag.warn(`bizmetrics: a second funnel named "${name}" records on this runtime; its self-metrics replace the first one's. Define each funnel once, at start-up.`);
    }
    this.funnels.set(name, { funnel, open: Object.freeze({ funnel: name }) });
    this.anomalies.preset([name], funnelAnomalyKinds);
    this.closed.preset([name], funnelOutcomes);
  }
}
