// Hand-written on purpose: `parse-prometheus-text-format` (the one maintained npm parser for the text
// format) folds each histogram family into a single sample without labels, keeping only the last label
// set's buckets and dropping `_sum`/`_count`; no other npm package parses the exposition format
// (`@prometheus-io/*` parse PromQL). Tests need every sample with its labels, so this small parser
// reads sample lines only; `promtool check metrics` is the validating parser.

/** One sample line of a Prometheus text exposition (format 0.0.4). */
export interface ExpositionSample {
  /** Sample name as written, e.g. `business_revenue_cents_total` or `..._bucket`. */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const namePattern = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const labelNamePattern = /^([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"/;

function parseValue(text: string, line: string): number {
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw new Error(`parseExposition: bad value ${JSON.stringify(text)} in line: ${line}`);
  return value;
}

/** Reads `{a="x",b="y"}` starting at `start` (the `{`); returns the labels and the index after `}`. */
function parseLabels(line: string, start: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = start + 1;
  for (;;) {
    while (line[i] === ' ' || line[i] === ',') i++;
    if (line[i] === '}') return { labels, end: i + 1 };
    const name = labelNamePattern.exec(line.slice(i));
    if (name === null) throw new Error(`parseExposition: cannot parse labels in line: ${line}`);
    i += name[0].length;
    let value = '';
    // Label values escape `\\`, `\"` and `\n`; a `}` or `,` inside quotes is part of the value.
    for (;;) {
      const char = line[i];
      if (char === undefined) throw new Error(`parseExposition: unterminated label value in line: ${line}`);
      i++;
      if (char === '"') break;
      if (char === '\\') {
        const escaped = line[i++];
        value += escaped === 'n' ? '\n' : (escaped ?? '');
      } else value += char;
    }
    labels[name[1] as string] = value;
  }
}

/**
 * The samples of a text exposition, in order; `# HELP`/`# TYPE`/`# UNIT` lines and blank lines are
 * skipped, timestamps ignored. Throws on a line it cannot read, so a broken exposition fails the test.
 */
export function parseExposition(text: string): ExpositionSample[] {
  const samples: ExpositionSample[] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const name = namePattern.exec(line)?.[0];
    if (name === undefined) throw new Error(`parseExposition: cannot parse line: ${line}`);
    let labels: Record<string, string> = {};
    let end = name.length;
    if (line[end] === '{') ({ labels, end } = parseLabels(line, end));
    const [valueText = ''] = line.slice(end).trim().split(/\s+/);
    samples.push({ name, labels, value: parseValue(valueText, line) });
  }
  return samples;
}

function matching(samples: readonly ExpositionSample[], name: string, labels: Readonly<Record<string, string>>): ExpositionSample[] {
  return samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
}

/** Value of the one sample named `name` whose labels include `labels`; throws when there is not exactly one. */
export function sampleValue(samples: readonly ExpositionSample[], name: string, labels: Readonly<Record<string, string>> = {}): number {
  const found = matching(samples, name, labels);
  if (found.length !== 1) throw new Error(`expected one ${name}${JSON.stringify(labels)}, found ${found.length}`);
  return (found[0] as ExpositionSample).value;
}

/** Sum of every sample named `name` whose labels include `labels` (0 when none matches). */
export function sampleSum(samples: readonly ExpositionSample[], name: string, labels: Readonly<Record<string, string>> = {}): number {
  return matching(samples, name, labels).reduce((sum, sample) => sum + sample.value, 0);
}

/** Sum of every sample named `name` whose labels include `labels`, or `undefined` when none matches (to assert absence). */
export function findSampleSum(samples: readonly ExpositionSample[], name: string, labels: Readonly<Record<string, string>> = {}): number | undefined {
  const found = matching(samples, name, labels);
  return found.length === 0 ? undefined : found.reduce((sum, sample) => sum + sample.value, 0);
}

/** Fetches a scrape endpoint (throws on a non-2xx answer) and parses it. */
export async function scrapeExposition(url: string): Promise<ExpositionSample[]> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return parseExposition(await response.text());
}
