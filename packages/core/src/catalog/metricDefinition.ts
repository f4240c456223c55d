/** The kinds of business instrument the catalog can declare. */
export type MetricKind = 'counter' | 'histogram' | 'gauge';

/** One label an instrument accepts. */
export interface LabelDefinition {
  /** Prometheus label name, e.g. `device_type`. */
  readonly name: string;
  /** What the label means, for generated docs. */
  readonly description: string;
  /** Known values, for docs and dashboards; other values are still accepted (up to the cardinality cap). */
  readonly examples?: readonly string[];
  /**
   * Values known in advance (a closed set, e.g. every funnel step). On counters, the series of each
   * is created at 0 beside the first series of every combination of the other labels, so a rare
   * value's first increment is visible to `rate()`/`increase()`. Other values are still accepted.
   */
  readonly knownValues?: readonly string[];
  /** Value used when the caller leaves the label out. @default 'unknown' */
  readonly default?: string;
  /**
   * The shape every value must have: `closed` (only `knownValues`) or `pattern` (a regular
   * expression the whole value must match). A value outside it becomes `outsideValue` when one is
   * declared (the measurement kept), else is refused; either way it is counted as
   * `label_value_outside_shape`. Without a shape any value is accepted, up to the cardinality cap.
   * @example values: { closed: true, outsideValue: 'unknown' }
   * @example values: { pattern: '[A-Z]{3}' }
   */
  readonly values?: LabelValueShape;
}

/** Declared values of a label: a closed set (its `knownValues`) or a pattern, and what replaces a value outside it. */
export interface LabelValueShape {
  /** Only the label's `knownValues` are accepted. */
  readonly closed?: boolean;
  /** Regular expression (source, anchored at both ends) every value must match. */
  readonly pattern?: string;
  /** The one value a value outside the shape is recorded under; refused when absent. */
  readonly outsideValue?: string;
}

/**
 * Everything about one business metric in one place: the instruments, views, docs, rules and
 * dashboards are all derived from this.
 */
export interface MetricDefinition {
  /**
   * OpenTelemetry instrument name. Prometheus exporters add `_total` to counters, so a counter
   * named `business_conversions` is scraped as `business_conversions_total`.
   */
  readonly name: string;
  /** The series name(s) in Prometheus, e.g. `business_conversions_total`. Derived, never typed by hand. */
  readonly kind: MetricKind;
  /** UCUM unit: `s` for seconds, `{cent}` and the like for counts of things (no suffix is added for braces). */
  readonly unit: string;
  /** Help text. */
  readonly description: string;
  /** Declared labels, in the order they are documented. */
  readonly labels: readonly LabelDefinition[];
  /** Explicit histogram bucket boundaries, ascending (histograms only). */
  readonly buckets?: readonly number[];
  /** Team that owns the metric, e.g. `Revenue Team`. */
  readonly owner: string;
  /**
   * What values the instrument accepts: `integer` (non-negative safe integers, e.g. cents),
   * `non_negative` (finite, >= 0) — counters and histograms never take negative values.
   * @default 'non_negative'
   */
  readonly valueType?: 'integer' | 'non_negative';
}

/** Prometheus name the OpenTelemetry Prometheus exporters give an instrument (without histogram suffixes). */
export function prometheusName(definition: Pick<MetricDefinition, 'name' | 'kind'>): string {
  if (definition.kind === 'counter' && !definition.name.endsWith('_total')) return `${definition.name}_total`;
  return definition.name;
}
