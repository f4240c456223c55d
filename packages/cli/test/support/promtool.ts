import { spawnSync } from 'node:child_process';

/** Runs the machine's promtool; a missing binary is an error, never a skip. */
export function promtool(args: readonly string[], cwd?: string): { code: number; output: string } {
  const result = spawnSync('promtool', [...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  if (result.error) throw new Error(`promtool could not run: ${result.error.message}`);
  return { code: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}
