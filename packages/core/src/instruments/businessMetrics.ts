import type { Meter } from '@opentelemetry/api';
import type { MetricDefinition } from '../catalog/metricDefinition';
import { GuardedCounter } from './guardedCounter';
import { GuardedGauge } from './guardedGauge';
import { GuardedHistogram } from './guardedHistogram';
import type { GuardContext } from './guardContext';

type LabelName<D> = D extends { readonly labels: readonly (infer L)[] } ? (L extends { readonly name: infer N extends string } ? N : never) : never;

/** Label object a catalog entry accepts: its declared label names, each optional (missing ones take the default). */
export type LabelsOf<D> = Partial<Record<LabelName<D>, string | number | boolean>>;

/** Names of the catalog entries of one kind. */
export type MetricNameOf<C extends readonly MetricDefinition[], K extends MetricDefinition['kind']> = Extract<C[number], { readonly kind: K }>['name'];

type DefinitionNamed<C extends readonly MetricDefinition[], N> = Extract<C[number], { readonly name: N }>;

/**
 * The typed API: every catalog entry by name, with its label names checked by the compiler.
 *
 * @example
 * metrics.count('business_funnel_step', { step: 'cart_view', source: 'google_ads', device_type: 'mobile' });
 * metrics.observe('business_order_value_cents', 4999, { product_category: 'books' });
 * metrics.set('business_active_users', 1200, { window: 'daily', user_tier: 'pro' });
 */
export class BusinessMetrics<C extends readonly MetricDefinition[] = readonly MetricDefinition[]> {
  private readonly counters = new Map<string, GuardedCounter>();
  private readonly histograms = new Map<string, GuardedHistogram>();
  private readonly gauges = new Map<string, GuardedGauge>();

  constructor(
    meter: Meter,
    readonly catalog: C,
    private readonly context: GuardContext,
  ) {
    for (const definition of catalog) {
      if (definition.kind === 'counter') this.counters.set(definition.name, new GuardedCounter(meter, definition, context));
      else if (definition.kind === 'histogram') this.histograms.set(definition.name, new GuardedHistogram(meter, definition, context));
      else this.gauges.set(definition.name, new GuardedGauge(meter, definition, context));
    }
  }

  /** Adds `value` (default 1) to a counter. */
  count<N extends MetricNameOf<C, 'counter'>>(name: N, labels?: LabelsOf<DefinitionNamed<C, N>>, value = 1): void {
    const counter = this.counters.get(name);
    if (counter === undefined) this.unknown(name, 'counter');
    else counter.add(value, labels);
  }

  /** Records one observation in a histogram. */
  observe<N extends MetricNameOf<C, 'histogram'>>(name: N, value: number, labels?: LabelsOf<DefinitionNamed<C, N>>): void {
    const histogram = this.histograms.get(name);
    if (histogram === undefined) this.unknown(name, 'histogram');
    else histogram.record(value, labels);
  }

  /** Sets a gauge's current value. */
  set<N extends MetricNameOf<C, 'gauge'>>(name: N, value: number, labels?: LabelsOf<DefinitionNamed<C, N>>): void {
    const gauge = this.gauges.get(name);
    if (gauge === undefined) this.unknown(name, 'gauge');
    else gauge.set(value, labels);
  }

  /** The guarded counter behind a catalog name (for adapters that record on the fast positional path). */
  counter(name: MetricNameOf<C, 'counter'>): GuardedCounter {
    return this.lookup(this.counters, name, 'counter');
  }

  /** The guarded histogram behind a catalog name. */
  histogram(name: MetricNameOf<C, 'histogram'>): GuardedHistogram {
    return this.lookup(this.histograms, name, 'histogram');
  }

  /** The guarded gauge behind a catalog name. */
  gauge(name: MetricNameOf<C, 'gauge'>): GuardedGauge {
    return this.lookup(this.gauges, name, 'gauge');
  }

  /** The guarded counter named `name`, or `undefined` when the catalog has none (for features that need a guide metric). */
  findCounter(name: string): GuardedCounter | undefined {
    return this.counters.get(name);
  }

  /** The guarded histogram named `name`, or `undefined`. */
  findHistogram(name: string): GuardedHistogram | undefined {
    return this.histograms.get(name);
  }

  /** The guarded gauge named `name`, or `undefined`. */
  findGauge(name: string): GuardedGauge | undefined {
    return this.gauges.get(name);
  }

  /** Counts a call for a metric the catalog lacks as `unknown_metric` (thrown in strict mode). */
  refuseUnknown(name: string, kind: string): void {
    this.unknown(name, kind);
  }

  /** How many values were refused so far (optionally of one reason): handy in tests and health checks. */
  refusedCount(reason?: Parameters<GuardContext['refusals']['total']>[0]): number {
    return this.context.refusals.total(reason);
  }

  private lookup<T>(map: Map<string, T>, name: string, kind: string): T {
    const instrument = map.get(name);
    if (instrument === undefined) throw new Error(`bizmetrics: no ${kind} named "${name}" in the catalog`);
    return instrument;
  }

  private unknown(name: string, kind: string): void {
    this.context.refusals.refuse('(unknown)', 'unknown_metric', `no ${kind} named ${JSON.stringify(String(name)).slice(0, 80)} in the catalog`);
  }
}
