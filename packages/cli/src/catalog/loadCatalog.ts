import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { businessCatalog, findCatalogProblems, type MetricDefinition } from '@bizmetrics/core';
import { CliInputError } from '../errors';

/** Loads a JavaScript module by absolute path. Injectable so tests can load fixtures without native ESM. */
export type ModuleImporter = (absolutePath: string) => Promise<unknown>;

/** Native `import()`: `.js`/`.mjs`/`.cjs` (and `.ts` on Node versions that strip types). */
export const importModule: ModuleImporter = (absolutePath) => import(pathToFileURL(absolutePath).href);

/** Options of `loadCatalog`. */
export interface LoadCatalogOptions {
  /** Paths of modules (or `.json` files) each exporting an array of `MetricDefinition`. */
  readonly modules?: readonly string[];
  /** Include the built-in `businessCatalog`. @default true */
  readonly builtin?: boolean;
  /** Base for relative paths. @default process.cwd() */
  readonly cwd?: string;
  /** How modules are loaded. @default native import() */
  readonly importer?: ModuleImporter;
}

function pickDefinitions(loaded: unknown, path: string): unknown[] {
  const candidates = [loaded, (loaded as { default?: unknown })?.default, (loaded as { catalog?: unknown })?.catalog];
  // A CommonJS module imported from ESM arrives as { default: module.exports }.
  candidates.push((candidates[1] as { catalog?: unknown } | undefined)?.catalog);
  const found = candidates.find((candidate) => Array.isArray(candidate));
  if (found === undefined) {
    throw new CliInputError(`${path}: expected the module to export an array of MetricDefinition (as default export or as "catalog")`);
  }
  return found as unknown[];
}

async function loadModule(path: string, cwd: string, importer: ModuleImporter): Promise<unknown[]> {
  const absolute = resolve(cwd, path);
  let loaded: unknown;
  try {
    loaded = extname(absolute) === '.json' ? JSON.parse(await readFile(absolute, 'utf8')) : await importer(absolute);
  } catch (error) {
    throw new CliInputError(`cannot load catalog module ${path}: ${(error as Error).message}`);
  }
  return pickDefinitions(loaded, path);
}

/**
 * The built-in catalog plus the user's definitions, validated with core's `findCatalogProblems`.
 * Throws `CliInputError` listing every problem as `<metric>: <field> <message>`.
 */
export async function loadCatalog(options: LoadCatalogOptions = {}): Promise<readonly MetricDefinition[]> {
  const cwd = options.cwd ?? process.cwd();
  const importer = options.importer ?? importModule;
  const entries: unknown[] = options.builtin === false ? [] : [...businessCatalog];
  for (const path of options.modules ?? []) entries.push(...(await loadModule(path, cwd, importer)));
  const catalog = entries as MetricDefinition[];
  assertUsableCatalog(catalog);
  return catalog;
}

/** Throws `CliInputError` when core finds problems in the catalog. */
export function assertUsableCatalog(catalog: readonly MetricDefinition[]): void {
  const problems = findCatalogProblems(catalog);
  if (problems.length === 0) return;
  const lines = problems.map((p) => `  - ${p.metric}: ${p.field} ${p.message}`);
  throw new CliInputError(`the metric catalog has ${problems.length} problem(s):\n${lines.join('\n')}`);
}
