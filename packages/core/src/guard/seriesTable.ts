import type { Attributes } from '@opentelemetry/api';
import type { MetricDefinition } from '../catalog/metricDefinition';
import type { AdmissionPolicy } from './admission';
import { isForbiddenLabelName } from '../catalog/forbiddenLabels';
import { normalizeLabelValue, type LabelValuePolicy } from './labelValue';
import { overflowAttributes } from './overflow';
import { redactedLabelValue } from './personalData';
import type { RefusalReporter } from './refusalReporter';

/** A label's declared shape, compiled. */
interface LabelShapeCheck {
  accepts(value: string): boolean;
  readonly outsideValue: string | undefined;
}

/** One label set of one metric, with its running value (counters and gauges). */
export interface Series {
  readonly attributes: Attributes;
  value: number;
  readonly overflow: boolean;
}

/** How a table is built: its cap, how values are cleaned, who admits new label sets. */
export interface SeriesTableSettings {
  readonly policy: LabelValuePolicy;
  readonly refusals: RefusalReporter;
  /** Admits new label sets (keyed by their normalised values); refused ones go to the overflow series. */
  readonly admission: AdmissionPolicy;
  /**
   * Create, beside each new label set, the series of every `knownValues` value of its other labels
   * at 0 (and, when every label has known values, all series at once): a counter's rare value then
   * exists before its first increment, so `rate()`/`increase()` see that increment.
   */
  readonly zeroKnownValues: boolean;
}

/** Label values (declared order) to their series: one level per label, a series at the leaves. */
type SeriesTree = Map<string, SeriesTree | Series>;

/**
 * The series of one metric, capped. Lookups on label values seen before walk a small tree of maps
 * keyed by the raw values (one `Map.get` per label, no key string built: concatenating and hashing
 * a fresh key cost more than the rest of the record path together); new label values are
 * normalised and checked, then looked up the same way among the normalised series (so `' pro '`
 * and `'pro'` share one). Label sets the admission policy refuses land in the one overflow series, so
 * memory stays bounded whatever the callers send and however many collections run (the SDK's own
 * cardinality limit resets every collection under cumulative temporality; this one does not).
 */
export class SeriesTable {
  /** Raw values as callers sent them, to their series. */
  private readonly aliases: SeriesTree = new Map();
  private aliasNodes = 0;
  /** Normalised values to their series: at most `limit` leaves. */
  private readonly normalizedTree: SeriesTree = new Map();
  /** Every series but the overflow one, in creation order (the order they are exported in). */
  private readonly seriesList: Series[] = [];
  private overflowSeries: Series | undefined;
  private readonly labelNames: readonly string[];
  private readonly labelDefaults: readonly string[];
  /** Per label, its known values (normalised) when zero series are made for them. */
  private readonly knownValues: readonly (readonly string[] | undefined)[];
  private readonly depth: number;
  private readonly aliasLimit: number;
  private readonly overflowDetail: string;
  private readonly labelDetails: readonly string[];
  private readonly policy: LabelValuePolicy;
  private readonly refusals: RefusalReporter;
  private readonly admission: AdmissionPolicy;
  /** Per label, its declared shape (closed set or pattern), when it declares one. */
  private readonly shapes: readonly (LabelShapeCheck | undefined)[];

  constructor(
    private readonly definition: MetricDefinition,
    limit: number,
    settings: SeriesTableSettings,
  ) {
    this.policy = settings.policy;
    this.refusals = settings.refusals;
    this.admission = settings.admission;
    this.labelNames = definition.labels.map((label) => label.name);
    this.labelDefaults = definition.labels.map((label) => label.default ?? 'unknown');
    this.knownValues = definition.labels.map((label) =>
      settings.zeroKnownValues && label.knownValues !== undefined ? label.knownValues.map((value) => this.clean(value, label.name)) : undefined,
    );
    this.shapes = definition.labels.map((label) => this.shapeOf(label));
    this.depth = this.labelNames.length;
    // Aliases from raw to normalised values; bounded (maps and leaves together) so hostile values
    // cannot grow it. Every one of `limit` series fits even when no two share a prefix.
    this.aliasLimit = limit * (this.depth + 1);
    // Built once: under a flood of hostile values every call is a refusal.
    this.overflowDetail = `more than ${limit} series`;
    this.labelDetails = this.labelNames.map((name) => `label ${name}`);
    if (this.depth > 0 && this.knownValues.every((values) => values !== undefined)) {
      this.createKnownCombinations(this.labelDefaults, this.knownValues.map(() => true));
    }
  }

  /** Series for label values given in declared order; `undefined` when refused (already counted). */
  resolve(values: readonly unknown[]): Series | undefined {
    const depth = this.depth;
    if (values.length === depth && depth > 0) {
      let node: SeriesTree | Series | undefined = this.aliases;
      for (let i = 0; i < depth; i++) {
        const value = values[i];
        if (typeof value !== 'string') return this.resolveSlow(values);
        node = (node as SeriesTree).get(value);
        if (node === undefined) return this.resolveSlow(values);
      }
      // After `depth` levels the node is a leaf.
      const series = node as Series;
      if (series.overflow) this.countOverflow();
      return series;
    }
    return this.resolveSlow(values);
  }

  /** Series for a label object: every key must be a declared label. */
  resolveAttributes(labels: Readonly<Record<string, unknown>> | undefined): Series | undefined {
    const names = this.labelNames;
    const values = new Array<unknown>(names.length);
    let present = 0;
    if (labels !== undefined && labels !== null) {
      if (typeof labels !== 'object') {
        this.refusals.refuse(this.definition.name, 'invalid_label_value', `labels must be an object, got ${typeof labels}`);
        return undefined;
      }
      for (let i = 0; i < names.length; i++) {
        const value = labels[names[i] as string];
        values[i] = value;
        if (value !== undefined) present++;
      }
      let given = 0;
      for (const name in labels) if (Object.hasOwn(labels, name) && labels[name] !== undefined) given++;
      if (given !== present) return this.refuseUndeclared(labels);
    }
    return this.resolve(values);
  }

  /** Every series, overflow included, for observable callbacks. */
  *all(): IterableIterator<Series> {
    yield* this.seriesList;
    if (this.overflowSeries !== undefined) yield this.overflowSeries;
  }

  /** Number of distinct series, overflow included. */
  get size(): number {
    return this.seriesList.length + (this.overflowSeries === undefined ? 0 : 1);
  }

  private resolveSlow(values: readonly unknown[]): Series | undefined {
    const normalized: string[] = [];
    let redacted = false;
    for (let i = 0; i < this.labelNames.length; i++) {
      const result = normalizeLabelValue(values[i], this.labelDefaults[i] as string, this.policy);
      if (!result.ok) {
        this.refusals.refuse(this.definition.name, result.problem, this.labelDetails[i] as string);
        return undefined;
      }
      // Personal data: the label says `redacted` and the measurement is kept; the refusal is counted by family.
      if (result.redacted !== undefined) {
        this.refusals.refuse(this.definition.name, `personal_data_${result.redacted}`, this.labelDetails[i] as string);
        redacted = true;
      }
      const shape = this.shapes[i];
      if (shape !== undefined && !shape.accepts(result.value)) {
        this.refusals.refuse(this.definition.name, 'label_value_outside_shape', this.labelDetails[i] as string);
        if (shape.outsideValue === undefined) return undefined;
        normalized.push(shape.outsideValue);
        continue;
      }
      normalized.push(result.value);
    }
    let series = this.findNormalized(normalized);
    if (series === undefined) {
      series = this.admitNew(normalized);
      if (series === undefined) {
        series = this.overflow();
        this.countOverflow();
      } else if (this.knownValues.some((values) => values !== undefined)) {
        this.createKnownCombinations(normalized, this.knownValues.map((values) => values !== undefined));
      }
    } else if (series.overflow) {
      this.countOverflow();
    }
    // A redacted value gets no alias: each time it comes back it is counted again (and its raw form is not kept).
    if (!redacted) this.alias(values, series);
    return series;
  }

  /** A new series for normalised values, if admission lets it in. */
  private admitNew(normalized: readonly string[]): Series | undefined {
    if (!this.admission.admit(normalized.join('\u0001'))) return undefined;
    const series = this.createSeries(normalized, false);
    this.seriesList.push(series);
    this.insert(this.normalizedTree, normalized, series);
    return series;
  }

  /**
   * Creates at 0 every series that differs from `base` only in the labels marked in `vary`, each
   * taking each of its known values (admission permitting): the siblings a rare value needs.
   */
  private createKnownCombinations(base: readonly string[], vary: readonly boolean[]): void {
    const values = [...base];
    const walk = (index: number): void => {
      if (index === values.length) {
        if (this.findNormalized(values) === undefined) this.admitNew([...values]);
        return;
      }
      const known = vary[index] === true ? this.knownValues[index] : undefined;
      if (known === undefined) return walk(index + 1);
      for (const value of known) {
        values[index] = value;
        walk(index + 1);
      }
      values[index] = base[index] as string;
    };
    walk(0);
  }

  /** The check of a label's declared shape; `redacted` (personal data, already counted) always passes. */
  private shapeOf(label: MetricDefinition['labels'][number]): LabelShapeCheck | undefined {
    const shape = label.values;
    if (shape === undefined || (shape.closed !== true && shape.pattern === undefined)) return undefined;
    const closed = shape.closed === true ? new Set((label.knownValues ?? []).map((value) => this.clean(value, label.name))) : undefined;
    const pattern = shape.pattern === undefined ? undefined : new RegExp(`^(?:${shape.pattern})$`);
    const fallback = label.default ?? 'unknown';
    return {
      accepts: (value) => value === redactedLabelValue || value === fallback || ((closed === undefined || closed.has(value)) && (pattern === undefined || pattern.test(value))),
      outsideValue: shape.outsideValue,
    };
  }

  /** A declared known value, normalised like any label value (a catalog mistake throws at set-up). */
  private clean(value: string, label: string): string {
    const result = normalizeLabelValue(value, 'unknown', this.policy);
    if (!result.ok || result.redacted !== undefined) throw new Error(`bizmetrics: ${this.definition.name}: known value ${JSON.stringify(value)} of label ${label} is not a valid label value (or looks like personal data)`);
    return result.value;
  }

  private findNormalized(normalized: readonly string[]): Series | undefined {
    let node: SeriesTree | Series | undefined = this.normalizedTree;
    for (let i = 0; i < normalized.length; i++) {
      node = (node as SeriesTree).get(normalized[i] as string);
      if (node === undefined) return undefined;
    }
    // With no labels at all the root itself stands for the one series: kept as its '' entry.
    return normalized.length === 0 ? (this.normalizedTree.get('') as Series | undefined) : (node as Series);
  }

  /** Adds a path to `tree`; returns how many maps and leaves it created. */
  private insert(tree: SeriesTree, values: readonly string[], series: Series): number {
    if (values.length === 0) {
      tree.set('', series);
      return 1;
    }
    let created = 0;
    let node = tree;
    const last = values.length - 1;
    for (let i = 0; i < last; i++) {
      const value = values[i] as string;
      let child = node.get(value) as SeriesTree | undefined;
      if (child === undefined) {
        child = new Map();
        node.set(value, child);
        created++;
      }
      node = child;
    }
    if (!node.has(values[last] as string)) created++;
    node.set(values[last] as string, series);
    return created;
  }

  /** Remembers raw string values as a way to `series`, while the alias budget lasts. */
  private alias(values: readonly unknown[], series: Series): void {
    const depth = this.depth;
    if (depth === 0 || values.length !== depth || this.aliasNodes + depth > this.aliasLimit) return;
    for (let i = 0; i < depth; i++) if (typeof values[i] !== 'string') return;
    this.aliasNodes += this.insert(this.aliases, values as readonly string[], series);
  }

  private overflow(): Series {
    this.overflowSeries ??= { attributes: overflowAttributes, value: 0, overflow: true };
    return this.overflowSeries;
  }

  private createSeries(values: readonly string[], overflow: boolean): Series {
    const attributes: Record<string, string> = {};
    for (let i = 0; i < this.labelNames.length; i++) attributes[this.labelNames[i] as string] = values[i] as string;
    return { attributes: Object.freeze(attributes), value: 0, overflow };
  }

  private countOverflow(): void {
    this.refusals.refuse(this.definition.name, 'cardinality_overflow', this.overflowDetail);
  }

  private refuseUndeclared(labels: Readonly<Record<string, unknown>>): undefined {
    for (const name of Object.keys(labels)) {
      if (this.labelNames.includes(name)) continue;
      const reason = isForbiddenLabelName(name) ? 'forbidden_label' : 'undeclared_label';
      this.refusals.refuse(this.definition.name, reason, `label ${JSON.stringify(name).slice(0, 80)}`);
      return undefined;
    }
    return undefined;
  }
}
