import { generateDocs } from '../docs/generateDocs';
import { generatingCommand } from './generatingCommand';

/** `bizmetrics docs`: Markdown documentation of every metric. */
export const docsCommand = generatingCommand({
  name: 'docs',
  description: 'write Markdown documentation of every metric in the catalog',
  outDescription: 'Markdown file to write',
  defaultOut: 'docs/metrics.md',
  generate: (catalog, config, out) => [{ path: out, content: generateDocs(catalog, config) }],
});
