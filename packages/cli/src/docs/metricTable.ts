import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { prometheusName, type MetricDefinition } from '@bizmetrics/core';
import { CliInputError } from '../errors';
import type { GeneratedFile } from '../output/generatedFile';

/** The markers around the generated metric table in a Markdown file (a README). */
export const metricTableStart = '<!-- bizmetrics:metrics:start (generated from the catalog by `bizmetrics docs`; do not edit by hand) -->';
export const metricTableEnd = '<!-- bizmetrics:metrics:end -->';

const startPattern = /<!-- bizmetrics:metrics:start\b.*?-->/;

function code(text: string): string {
  return `\`${text}\``;
}

/** One row per catalog entry: Prometheus name, type, unit, labels and bucket boundaries. */
export function metricTable(catalog: readonly MetricDefinition[]): string {
  const rows = catalog.map((definition) => {
    const type = definition.valueType === 'integer' ? `${definition.kind} (integer)` : definition.kind;
    const labels = definition.labels.map((label) => code(label.name)).join(', ') || '—';
    const buckets = definition.buckets?.join(', ') ?? '';
    return `| ${code(prometheusName(definition))} | ${type} | ${code(definition.unit)} | ${labels} | ${buckets} |`;
  });
  return ['| Prometheus name | Type | Unit | Labels | Buckets |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

/** `markdown` with the region between the markers replaced by `table`; throws when the markers are missing. */
export function withMetricTable(markdown: string, table: string, file: string): string {
  const start = startPattern.exec(markdown);
  const end = markdown.indexOf(metricTableEnd);
  if (start === null || end < start.index) {
    throw new CliInputError(`${file} has no metric table region: add the lines\n${metricTableStart}\n${metricTableEnd}\nwhere the table belongs`);
  }
  return `${markdown.slice(0, start.index)}${metricTableStart}\n${table}\n${markdown.slice(end)}`;
}

/** Each file, as read from disk, with its marked region holding the catalog's metric table. */
export async function readmesWithMetricTable(catalog: readonly MetricDefinition[], files: readonly string[], cwd: string): Promise<GeneratedFile[]> {
  const table = metricTable(catalog);
  return Promise.all(
    files.map(async (path) => {
      let markdown: string;
      try {
        markdown = await readFile(resolve(cwd, path), 'utf8');
      } catch (error) {
        throw new CliInputError(`--readme ${path}: cannot read it (${(error as Error).message})`);
      }
      return { path, content: withMetricTable(markdown, table, path) };
    }),
  );
}
