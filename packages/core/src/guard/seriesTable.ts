import type { Attributes } from '@opentelemetry/api';
import type { MetricDefinition } from '../catalog/metricDefinition';
import { isForbiddenLabelName } from './forbiddenLabels';
import { normalizeLabelValue, type LabelValuePolicy } from './labelValue';
import type { RefusalReporter } from './refusalReporter';

/** One label set of one metric, with its running value (counters and gauges). */
export interface Series {
  readonly attributes: Attributes;
  value: number;
  readonly overflow: boolean;
}

/** Label value every declared label takes in the overflow series of a metric that reached its cap. */
export const overflowLabelValue = '__overflow__';

const separator = '\u0001';

/**
 * The series of one metric, capped. Lookups on label values seen before cost one string key and
 * one map read; new label values are normalised and checked once. Past `limit` series, new label
 * sets land in one overflow series, so memory stays bounded whatever the callers send and however
 * many collections run (the SDK's own cardinality limit resets every collection under cumulative
 * temporality; this one does not).
 */
export class SeriesTable {
  private readonly byRawKey = new Map<string, Series>();
  private readonly byKey = new Map<string, Series>();
  private overflowSeries: Series | undefined;
  private readonly labelNames: readonly string[];
  private readonly labelDefaults: readonly string[];
  private readonly rawKeyLimit: number;

  constructor(
    private readonly definition: MetricDefinition,
    private readonly limit: number,
    private readonly policy: LabelValuePolicy,
    private readonly refusals: RefusalReporter,
  ) {
    this.labelNames = definition.labels.map((label) => label.name);
    this.labelDefaults = definition.labels.map((label) => label.default ?? 'unknown');
    // Aliases from raw to normalised values; bounded so hostile values cannot grow it.
    this.rawKeyLimit = limit * 4;
  }

  /** Series for label values given in declared order; `undefined` when refused (already counted). */
  resolve(values: readonly unknown[]): Series | undefined {
    let key = '';
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (typeof value !== 'string' || value.includes(separator)) return this.resolveSlow(values, undefined);
      key = i === 0 ? value : key + separator + value;
    }
    const series = this.byRawKey.get(key);
    if (series === undefined) return this.resolveSlow(values, key);
    if (series.overflow) this.countOverflow();
    return series;
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
    yield* this.byKey.values();
    if (this.overflowSeries !== undefined) yield this.overflowSeries;
  }

  /** Number of distinct series, overflow included. */
  get size(): number {
    return this.byKey.size + (this.overflowSeries === undefined ? 0 : 1);
  }

  private resolveSlow(values: readonly unknown[], rawKey: string | undefined): Series | undefined {
    const normalized: string[] = [];
    for (let i = 0; i < this.labelNames.length; i++) {
      const result = normalizeLabelValue(values[i], this.labelDefaults[i] as string, this.policy);
      if (!result.ok) {
        this.refusals.refuse(this.definition.name, result.problem, `label ${this.labelNames[i]}`);
        return undefined;
      }
      normalized.push(result.value);
    }
    const key = normalized.join(separator);
    let series = this.byKey.get(key);
    if (series === undefined) {
      if (this.byKey.size >= this.limit) {
        series = this.overflow();
        this.countOverflow();
      } else {
        series = this.createSeries(normalized, false);
        this.byKey.set(key, series);
      }
    } else if (series.overflow) {
      this.countOverflow();
    }
    if (rawKey !== undefined && this.byRawKey.size < this.rawKeyLimit) this.byRawKey.set(rawKey, series);
    return series;
  }

  private overflow(): Series {
    this.overflowSeries ??= this.createSeries(this.labelNames.map(() => overflowLabelValue), true);
    return this.overflowSeries;
  }

  private createSeries(values: readonly string[], overflow: boolean): Series {
    const attributes: Record<string, string> = {};
    for (let i = 0; i < this.labelNames.length; i++) attributes[this.labelNames[i] as string] = values[i] as string;
    return { attributes: Object.freeze(attributes), value: 0, overflow };
  }

  private countOverflow(): void {
    this.refusals.refuse(this.definition.name, 'cardinality_overflow', `more than ${this.limit} series`);
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
