import { generateDocs } from '../docs/generateDocs';
import { readmesWithMetricTable } from '../docs/metricTable';
import { generatingCommand } from './generatingCommand';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `bizmetrics docs`: Markdown documentation of every metric, and the metric table inside READMEs. */
export const docsCommand = generatingCommand({
  name: 'docs',
  description: 'write Markdown documentation of every metric in the catalog (and the metric table of each --readme)',
  outDescription: 'Markdown file to write',
  defaultOut: 'docs/metrics.md',
  generate: (catalog, config, out) => [{ path: out, content: generateDocs(catalog, config) }],
  addOptions: (command) =>
    command.option(
      '--readme <file>',
      'Markdown file whose <!-- bizmetrics:metrics:start --> … <!-- bizmetrics:metrics:end --> region gets the metric table (repeatable)',
      collect,
      [],
    ),
  generateFromDisk: (catalog, options, context) => readmesWithMetricTable(catalog, options['readme'] as string[], context.cwd),
});
