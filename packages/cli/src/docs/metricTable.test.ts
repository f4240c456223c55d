import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { businessCatalog, prometheusName, type MetricDefinition } from '@bizmetrics/core';
import { main } from '../cli';
import { metricTable, metricTableEnd, withMetricTable } from './metricTable';

describe('metricTable', () => {
  it('has one row per catalog metric, with every label, the unit and the buckets', () => {
    const table = metricTable(businessCatalog);
    const rows = table.split('\n').slice(2);
    expect(rows).toHaveLength(businessCatalog.length);
    for (const [index, definition] of (businessCatalog as readonly MetricDefinition[]).entries()) {
      const row = rows[index] as string;
      expect(row.startsWith(`| \`${prometheusName(definition)}\` |`)).toBe(true);
      for (const label of definition.labels) expect(row).toContain(`\`${label.name}\``);
      expect(row).toContain(`\`${definition.unit}\``);
      if (definition.buckets !== undefined) expect(row).toContain(definition.buckets.join(', '));
    }
    // The label the hand-kept table had lost.
    expect(table).toMatch(/\| `business_revenue_cents_total` \| counter \(integer\) \| `\{cent\}` \| [^|]*`currency` \|/);
  });

  it('replaces only the marked region and refuses a file without markers', () => {
    const markdown = `# Title\n\nbefore\n<!-- bizmetrics:metrics:start -->\nold table\n${metricTableEnd}\nafter\n`;
    const result = withMetricTable(markdown, '| new |', 'README.md');
    expect(result.startsWith('# Title\n\nbefore\n<!-- bizmetrics:metrics:start')).toBe(true);
    expect(result).toContain(`| new |\n${metricTableEnd}\nafter\n`);
    expect(result).not.toContain('old table');
    // Idempotent: the written start marker is found again.
    expect(withMetricTable(result, '| new |', 'README.md')).toBe(result);
    expect(() => withMetricTable('# no markers\n', '| new |', 'README.md')).toThrow(/README.md has no metric table region/);
  });
});

describe('bizmetrics docs --readme', () => {
  let dir: string;
  const run = (argv: string[], err: string[] = []) =>
    main(argv, { cwd: dir, stdout: () => undefined, stderr: (text) => err.push(text), importer: async (path) => require(path) as unknown });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bizmetrics-readme-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the table into the README, and --check fails once the table is edited by hand', async () => {
    await writeFile(join(dir, 'README.md'), `# pkg\n\n<!-- bizmetrics:metrics:start -->\n${metricTableEnd}\n`);
    expect(await run(['docs', '--readme', 'README.md'])).toBe(0);
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toContain(metricTable(businessCatalog));
    expect(await run(['docs', '--check', '--readme', 'README.md'])).toBe(0);

    const readme = await readFile(join(dir, 'README.md'), 'utf8');
    await writeFile(join(dir, 'README.md'), readme.replace(/\n\| `business_active_users`[^\n]*/, ''));
    const err: string[] = [];
    expect(await run(['docs', '--check', '--readme', 'README.md'], err)).toBe(1);
    expect(err.join('')).toContain('README.md: differs from the generated output');
  });

  it('exits 2 with the markers to add when the README has none', async () => {
    await writeFile(join(dir, 'README.md'), '# pkg\n');
    const err: string[] = [];
    expect(await run(['docs', '--readme', 'README.md'], err)).toBe(2);
    expect(err.join('')).toContain('<!-- bizmetrics:metrics:start');
  });
});
