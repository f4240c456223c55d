import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { MetricDefinition } from '@bizmetrics/core';
import { loadCatalog } from '../catalog/loadCatalog';
import { defaultGeneratorConfig, type GeneratorConfig } from '../config/generatorConfig';
import { defaultConfigFileName, readGeneratorConfig } from '../config/parseGeneratorConfig';
import type { CliContext } from './cliCommand';

/** Options every generating command takes. */
export interface CatalogOptions {
  catalog: string[];
  builtin: boolean;
  config?: string;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `--catalog`, `--no-builtin` and `--config`. */
export function addCatalogOptions(command: Command): Command {
  return command
    .option('--catalog <module>', 'module exporting an array of MetricDefinition (repeatable)', collect, [])
    .option('--no-builtin', 'leave out the built-in businessCatalog')
    .option('--config <file>', `generator config (YAML); default: ./${defaultConfigFileName} when present, else the guide's values`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** The catalog and config the options name, validated. */
export async function resolveInputs(
  options: CatalogOptions,
  context: CliContext,
): Promise<{ catalog: readonly MetricDefinition[]; config: GeneratorConfig }> {
  const catalog = await loadCatalog({ modules: options.catalog, builtin: options.builtin, cwd: context.cwd, importer: context.importer });
  let config = defaultGeneratorConfig();
  if (options.config !== undefined) {
    config = await readGeneratorConfig(resolve(context.cwd, options.config));
  } else if (await exists(resolve(context.cwd, defaultConfigFileName))) {
    config = await readGeneratorConfig(resolve(context.cwd, defaultConfigFileName));
  }
  return { catalog, config };
}
