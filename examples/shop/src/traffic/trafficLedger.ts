import { rename, writeFile } from 'node:fs/promises';

/** Funnel steps the ledger counts once per session (the checkout steps, then the error step). */
export const ledgerSteps = ['cart_view', 'shipping_info', 'payment_info', 'order_review', 'order_confirmed', 'checkout_error'] as const;
export type LedgerStep = (typeof ledgerSteps)[number];

/** An order the shop confirmed (200 on `/api/checkout/complete`). */
export interface LedgerOrder {
  readonly session: number;
  /** When the shop confirmed it, epoch milliseconds (for windowed KPIs such as revenue per minute). */
  readonly at: number;
  readonly amountCents: number;
  readonly category: string;
  readonly paymentMethod: string;
  readonly region: string;
}

/** A refund the shop accepted. */
export interface LedgerRefund {
  readonly session: number;
  readonly amountCents: number;
  readonly reason: string;
}

/** What the ledger holds, as JSON (`TrafficLedger.toJSON`). */
export interface LedgerSnapshot {
  readonly seed: number;
  readonly startedAt: string;
  /** Set once every journey has ended; a snapshot read mid-run has none. */
  readonly finishedAt: string | undefined;
  readonly sessions: number;
  /** Sessions that reached each step, each session counted once per step. */
  readonly steps: Readonly<Record<LedgerStep, number>>;
  /** Sessions that reached `cart_view` and ended without an order, by the last step reached. */
  readonly abandonedByLastStep: Readonly<Record<string, number>>;
  readonly orders: readonly LedgerOrder[];
  readonly refunds: readonly LedgerRefund[];
  /** Feature uses the ingest endpoint accepted, by feature. */
  readonly featureUsage: Readonly<Record<string, number>>;
  /** Milestones the ingest endpoint accepted, by name. */
  readonly milestones: Readonly<Record<string, number>>;
  /** `session_end` events the ingest endpoint accepted, and their summed durations. */
  readonly sessionEnds: { readonly count: number; readonly durationSeconds: number };
  /** When each checkout_error step was acknowledged, epoch milliseconds. */
  readonly checkoutErrorTimes: readonly number[];
  /** Distinct signed-in users by tier (ids sorted). */
  readonly usersByTier: Readonly<Record<string, readonly string[]>>;
  /** Ingest batches refused (429 after retries, or 4xx): their events are not in the counts above. */
  readonly refusedIngestBatches: number;
  /** Journeys by outcome. */
  readonly outcomes: Readonly<Record<string, number>>;
}

/** Totals derived from a snapshot: what the comparison with Prometheus reads. */
export interface LedgerTotals {
  readonly orders: number;
  readonly revenueCents: number;
  readonly revenueByRegion: Readonly<Record<string, number>>;
  readonly refundsCents: number;
  readonly refunds: number;
  readonly conversionRatePercent: number | undefined;
  readonly abandoned: number;
  readonly activeUsers: number;
  readonly activeUsersByTier: Readonly<Record<string, number>>;
}

function add(record: Record<string, number>, key: string, by = 1): void {
  record[key] = (record[key] ?? 0) + by;
}

/**
 * Everything the traffic generator produced, as the shop acknowledged it: a step, order or refund is
 * entered when the shop answered it with success, so the ledger is what the metrics must show.
 */
export class TrafficLedger {
  private readonly startedAt = new Date().toISOString();
  private finishedAt: string | undefined;
  private sessions = 0;
  private readonly steps = Object.fromEntries(ledgerSteps.map((step) => [step, 0])) as Record<LedgerStep, number>;
  private readonly reached = new Map<number, Set<LedgerStep>>();
  private readonly abandonedByLastStep: Record<string, number> = {};
  private readonly orders: LedgerOrder[] = [];
  private readonly checkoutErrorTimes: number[] = [];
  private readonly refunds: LedgerRefund[] = [];
  private readonly featureUsage: Record<string, number> = {};
  private readonly milestones: Record<string, number> = {};
  private readonly sessionEnds = { count: 0, durationSeconds: 0 };
  private readonly users = new Map<string, Set<string>>();
  private refusedIngestBatches = 0;
  private readonly outcomes: Record<string, number> = {};

  constructor(readonly seed: number) {}

  startSession(session: number): void {
    this.sessions += 1;
    this.reached.set(session, new Set());
  }

  /** A step the shop acknowledged; a second one of the same session is not counted again. */
  step(session: number, step: LedgerStep): void {
    const seen = this.reached.get(session);
    if (seen === undefined || seen.has(step)) return;
    seen.add(step);
    this.steps[step] += 1;
    if (step === 'checkout_error') this.checkoutErrorTimes.push(Date.now());
  }

  order(order: LedgerOrder): void {
    this.orders.push(order);
  }

  refund(refund: LedgerRefund): void {
    this.refunds.push(refund);
  }

  user(id: string, tier: string): void {
    let ids = this.users.get(tier);
    if (ids === undefined) this.users.set(tier, (ids = new Set()));
    ids.add(id);
  }

  /** An engagement batch the ingest endpoint accepted (202). */
  ingestAccepted(events: readonly { readonly type: string; readonly feature?: string; readonly milestone?: string; readonly durationSeconds?: number }[]): void {
    for (const event of events) {
      if (event.type === 'feature_usage' && event.feature !== undefined) add(this.featureUsage, event.feature);
      else if (event.type === 'milestone' && event.milestone !== undefined) add(this.milestones, event.milestone);
      else if (event.type === 'session_end') {
        this.sessionEnds.count += 1;
        this.sessionEnds.durationSeconds += event.durationSeconds ?? 0;
      }
    }
  }

  ingestRefused(): void {
    this.refusedIngestBatches += 1;
  }

  /** The journey of `session` ended with `outcome`. */
  endSession(session: number, outcome: string): void {
    add(this.outcomes, outcome);
    const seen = this.reached.get(session);
    this.reached.delete(session);
    if (seen === undefined || !seen.has('cart_view') || seen.has('order_confirmed')) return;
    const last = [...ledgerSteps].reverse().find((step) => step !== 'checkout_error' && seen.has(step));
    if (last !== undefined) add(this.abandonedByLastStep, last);
  }

  finish(): void {
    this.finishedAt = new Date().toISOString();
  }

  toJSON(): LedgerSnapshot {
    return {
      seed: this.seed,
      startedAt: this.startedAt,
      finishedAt: this.finishedAt,
      sessions: this.sessions,
      steps: { ...this.steps },
      abandonedByLastStep: { ...this.abandonedByLastStep },
      orders: [...this.orders],
      refunds: [...this.refunds],
      checkoutErrorTimes: [...this.checkoutErrorTimes],
      featureUsage: { ...this.featureUsage },
      milestones: { ...this.milestones },
      sessionEnds: { ...this.sessionEnds },
      usersByTier: Object.fromEntries([...this.users].map(([tier, ids]) => [tier, [...ids].sort()])),
      refusedIngestBatches: this.refusedIngestBatches,
      outcomes: { ...this.outcomes },
    };
  }

  /** Writes the snapshot as JSON; through a temporary file and a rename, so a reader never sees half of it. */
  async write(file: string): Promise<void> {
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(this.toJSON(), null, 2)}\n`);
    await rename(temporary, file);
  }
}

/** The totals a dashboard shows, from a ledger snapshot. */
export function ledgerTotals(ledger: LedgerSnapshot): LedgerTotals {
  const revenueByRegion: Record<string, number> = {};
  for (const order of ledger.orders) add(revenueByRegion, order.region, order.amountCents);
  const activeUsersByTier = Object.fromEntries(Object.entries(ledger.usersByTier).map(([tier, ids]) => [tier, ids.length]));
  const cartViews = ledger.steps.cart_view;
  return {
    orders: ledger.orders.length,
    revenueCents: ledger.orders.reduce((sum, order) => sum + order.amountCents, 0),
    revenueByRegion,
    refundsCents: ledger.refunds.reduce((sum, refund) => sum + refund.amountCents, 0),
    refunds: ledger.refunds.length,
    conversionRatePercent: cartViews === 0 ? undefined : (ledger.steps.order_confirmed / cartViews) * 100,
    abandoned: Object.values(ledger.abandonedByLastStep).reduce((sum, n) => sum + n, 0),
    activeUsers: Object.values(activeUsersByTier).reduce((sum, n) => sum + n, 0),
    activeUsersByTier,
  };
}
