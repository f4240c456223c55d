import { BusinessMetricsConfigError } from '../errors';
import { isForbiddenLabelName } from './forbiddenLabels';
import type { LabelDefinition, MetricDefinition } from './metricDefinition';

/** One thing wrong with a catalog entry. */
export interface CatalogProblem {
  /** The entry's name (or its index when the name itself is missing). */
  readonly metric: string;
  /** The field at fault, e.g. `buckets` or `labels[2].name`. */
  readonly field: string;
  readonly message: string;
}

const metricNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const labelNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const kinds = new Set(['counter', 'histogram', 'gauge']);

/** Lists every problem in a catalog; an empty list means it can be used. */
export function findCatalogProblems(catalog: readonly MetricDefinition[]): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const seen = new Set<string>();
  catalog.forEach((entry: Partial<MetricDefinition> | undefined, index) => {
    const metric = typeof entry?.name === 'string' && entry.name !== '' ? entry.name : `#${index}`;
    const problem = (field: string, message: string): void => {
      problems.push({ metric, field, message });
    };
    if (entry === undefined || entry === null || typeof entry !== 'object') {
      problem('(entry)', 'must be an object');
      return;
    }
    if (typeof entry.name !== 'string' || !metricNamePattern.test(entry.name)) {
      problem('name', `must match ${metricNamePattern} (letters, digits, underscores), got ${JSON.stringify(entry.name)}`);
    } else {
      if (seen.has(entry.name)) problem('name', 'is used by another entry');
      seen.add(entry.name);
      if (entry.name.startsWith('__')) problem('name', 'must not start with "__" (reserved by Prometheus)');
    }
    if (!kinds.has(entry.kind as string)) problem('kind', `must be counter, histogram or gauge, got ${JSON.stringify(entry.kind)}`);
    if (typeof entry.unit !== 'string') problem('unit', 'must be a UCUM unit string such as "s" or "{cent}"');
    if (typeof entry.description !== 'string' || entry.description.trim() === '') problem('description', 'must be a non-empty string');
    if (typeof entry.owner !== 'string' || entry.owner.trim() === '') problem('owner', 'must name the owning team');
    if (entry.valueType !== undefined && entry.valueType !== 'integer' && entry.valueType !== 'non_negative') {
      problem('valueType', 'must be "integer" or "non_negative"');
    }
    if (!Array.isArray(entry.labels)) {
      problem('labels', 'must be an array of { name, description }');
    } else {
      const labelNames = new Set<string>();
      entry.labels.forEach((label, labelIndex) => {
        const field = `labels[${labelIndex}].name`;
        const name = (label as { name?: unknown } | undefined)?.name;
        if (typeof name !== 'string' || !labelNamePattern.test(name)) {
          problem(field, `must match ${labelNamePattern}, got ${JSON.stringify(name)}`);
          return;
        }
        if (name.startsWith('__')) problem(field, `"${name}" starts with "__", which Prometheus reserves`);
        if (isForbiddenLabelName(name)) {
          problem(field, `"${name}" carries personal or unbounded data and cannot be a label; aggregate it away or use a bounded category`);
        }
        if (entry.kind === 'histogram' && name === 'le') problem(field, '"le" is reserved for histogram buckets');
        if (labelNames.has(name)) problem(field, `"${name}" is declared twice`);
        labelNames.add(name);
        const shape = (label as LabelDefinition).values;
        if (shape !== undefined) {
          const known = (label as LabelDefinition).knownValues;
          if (shape.closed === true && (known === undefined || known.length === 0)) problem(`labels[${labelIndex}].values`, 'a closed set needs knownValues');
          if (shape.pattern !== undefined) {
            try {
              new RegExp(shape.pattern);
            } catch {
              problem(`labels[${labelIndex}].values.pattern`, `is not a valid regular expression: ${JSON.stringify(shape.pattern)}`);
            }
          }
          if (shape.closed === true && shape.outsideValue !== undefined && known !== undefined && !known.includes(shape.outsideValue)) {
            problem(`labels[${labelIndex}].values.outsideValue`, `"${shape.outsideValue}" must be one of knownValues, so its series exists like theirs`);
          }
        }
      });
    }
    if (entry.kind === 'histogram') {
      const buckets = entry.buckets as unknown;
      if (!Array.isArray(buckets) || buckets.length === 0) {
        problem('buckets', 'a histogram needs ascending bucket boundaries, e.g. [30, 60, 120]');
      } else if (!buckets.every((b) => typeof b === 'number' && Number.isFinite(b))) {
        problem('buckets', 'must be finite numbers');
      } else if (buckets.some((b: number) => b < 0)) {
        problem('buckets', 'must not be negative: the values they bucket are never negative');
      } else if (buckets.some((b: number, i) => i > 0 && b <= (buckets[i - 1] as number))) {
        problem('buckets', `must be strictly ascending, got [${buckets.join(', ')}]`);
      }
    } else if (entry.buckets !== undefined) {
      problem('buckets', `only histograms have buckets; this is a ${String(entry.kind)}`);
    }
  });
  return problems;
}

/** Throws a `BusinessMetricsConfigError` listing every problem, or returns when the catalog is sound. */
export function assertValidCatalog(catalog: readonly MetricDefinition[]): void {
  const problems = findCatalogProblems(catalog);
  if (problems.length === 0) return;
  const lines = problems.map((p) => `  - ${p.metric}: ${p.field} ${p.message}`);
  throw new BusinessMetricsConfigError(`bizmetrics: the metric catalog has ${problems.length} problem(s):\n${lines.join('\n')}`);
}
