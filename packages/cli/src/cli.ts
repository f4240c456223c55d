import { Command, CommanderError } from 'commander';
import { importModule } from './catalog/loadCatalog';
import type { CliCommand, CliContext } from './commands/cliCommand';
import { dashboardCommand } from './commands/dashboardCommand';
import { correlateCliCommand } from './commands/correlateCommand';
import { docsCommand } from './commands/docsCommand';
import { rulesCommand } from './commands/rulesCommand';
import { CliInputError } from './errors';
// Bundled into dist by the build, so the binary reports the version it was built as.
import { version } from '../package.json';

/** This package's version, as `bizmetrics --version` prints it. */
export const cliVersion: string = version;

/** Every subcommand of `bizmetrics`. A new one is a module in `commands/` plus one entry here. */
export const commands: readonly CliCommand[] = [docsCommand, rulesCommand, dashboardCommand, correlateCliCommand];

/**
 * Exit codes: 0 success, 1 `--check` found drift, a `correlate` failure (unreachable Prometheus, too
 * little data, ...) or an unexpected failure; 2 bad input or usage (unknown option, bad option value
 * such as an unknown `--preset`, bad catalog or config).
 */
export const exitCodes = { ok: 0, drift: 1, badInput: 2 } as const;

/** Where `main` reads and writes; every field defaults to the process's own. */
export type MainIo = Partial<Omit<CliContext, 'exitCode'>> & {
  /** Subcommands to offer. @default commands */
  readonly commands?: readonly CliCommand[];
};

/** Builds the commander program with each command registered on it. */
export function createProgram(context: CliContext, list: readonly CliCommand[] = commands): Command {
  const program = new Command('bizmetrics')
    .description('Metrics as code (docs, Prometheus rules, Grafana dashboard from the bizmetrics catalog) and correlation of technical and business metrics')
    .version(cliVersion, '-V, --version', 'print the bizmetrics version')
    .exitOverride()
    .configureOutput({ writeOut: context.stdout, writeErr: context.stderr })
    .showHelpAfterError();
  for (const command of list) command.register(program, context);
  return program;
}

/**
 * Runs the CLI on `argv` (without `node` and the script) and resolves to the exit code; never
 * calls `process.exit`, so tests can call it directly.
 *
 * @example
 * process.exitCode = await main(['rules', '--check']);
 */
export async function main(argv: readonly string[], io: MainIo = {}): Promise<number> {
  const context: CliContext = {
    cwd: io.cwd ?? process.cwd(),
    stdout: io.stdout ?? ((text) => void process.stdout.write(text)),
    stderr: io.stderr ?? ((text) => void process.stderr.write(text)),
    importer: io.importer ?? importModule,
    exitCode: exitCodes.ok,
  };
  const program = createProgram(context, io.commands ?? commands);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return context.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end this way with code 0; usage errors were already printed by commander.
      if (error.exitCode === 0) return exitCodes.ok;
      // A subcommand's own failures (e.g. correlate's `bizmetrics.correlate.*`) keep their exit code.
      return error.code.startsWith('bizmetrics.') ? error.exitCode : exitCodes.badInput;
    }
    if (error instanceof CliInputError) {
      context.stderr(`bizmetrics: ${error.message}\n`);
      return exitCodes.badInput;
    }
    context.stderr(`bizmetrics: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return exitCodes.drift;
  }
}
