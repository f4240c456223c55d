import type { Command } from 'commander';
import type { MetricDefinition } from '@bizmetrics/core';
import type { GeneratorConfig } from '../config/generatorConfig';
import { compareWithDisk, describeDrift, writeGeneratedFile, type GeneratedFile } from '../output/generatedFile';
import type { CliCommand, CliContext } from './cliCommand';
import { addCatalogOptions, resolveInputs, type CatalogOptions } from './sharedOptions';

/** What a generating command needs to say about itself. */
export interface GeneratingCommandSpec {
  readonly name: string;
  readonly description: string;
  /** Help text of `--out`. */
  readonly outDescription: string;
  readonly defaultOut: string;
  /** The files for a catalog, config and `--out` value. */
  generate(catalog: readonly MetricDefinition[], config: GeneratorConfig, out: string): GeneratedFile[];
  /** Options of this command only (beside the catalog ones, `--out` and `--check`). */
  addOptions?(command: Command): Command;
  /** Files that depend on what is on disk (e.g. a region rewritten inside a README), from this command's own options. */
  generateFromDisk?(catalog: readonly MetricDefinition[], options: GeneratingOptions, context: CliContext): Promise<GeneratedFile[]>;
}

/** The options a generating command parses (its own `addOptions` ones included). */
export interface GeneratingOptions extends CatalogOptions {
  out: string;
  check: boolean;
  readonly [option: string]: unknown;
}

async function run(spec: GeneratingCommandSpec, options: GeneratingOptions, context: CliContext): Promise<void> {
  const { catalog, config } = await resolveInputs(options, context);
  const files = [...spec.generate(catalog, config, options.out), ...((await spec.generateFromDisk?.(catalog, options, context)) ?? [])];
  if (!options.check) {
    for (const file of files) context.stdout(`wrote ${await writeGeneratedFile(file, context.cwd)}\n`);
    return;
  }
  const drifts = await Promise.all(files.map((file) => compareWithDisk(file, context.cwd)));
  const stale = drifts.filter((drift) => drift.state !== 'same');
  if (stale.length === 0) {
    context.stdout(`${drifts.map((drift) => drift.path).join(', ')}: up to date\n`);
    return;
  }
  context.stderr(`${stale.map(describeDrift).join('\n\n')}\n\nRun \`bizmetrics ${spec.name}\` and commit the result.\n`);
  context.exitCode = 1;
}

/** A subcommand that writes generated files, or with `--check` fails when the committed ones differ. */
export function generatingCommand(spec: GeneratingCommandSpec): CliCommand {
  return {
    name: spec.name,
    register(program, context) {
      const command: Command = program.command(spec.name).description(spec.description);
      addCatalogOptions(spec.addOptions?.(command) ?? command)
        .option('--out <path>', spec.outDescription, spec.defaultOut)
        .option('--check', 'write nothing; exit 1 with a diff summary when the files on disk differ from the generated ones', false)
        .action((options: GeneratingOptions) => run(spec, options, context));
    },
  };
}
