import type { Command } from 'commander';
import type { ModuleImporter } from '../catalog/loadCatalog';

/** Where a command writes and what it may use; tests pass their own. */
export interface CliContext {
  /** Base for relative paths. */
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Loads `--catalog` modules. */
  readonly importer: ModuleImporter;
  /** Set by a command when it fails without throwing (e.g. `--check` found drift). */
  exitCode: number;
}

/**
 * One subcommand. It adds itself to the program; `src/cli.ts` lists the commands, so a new
 * subcommand is one module plus one line there.
 */
export interface CliCommand {
  readonly name: string;
  register(program: Command, context: CliContext): void;
}
