import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestSourceTime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceTime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds a package with its own `build` script unless its dist is newer than every source file. */
export function ensureBuilt(packageDir: string, output: string): void {
  const built = join(packageDir, output);
  const sources = Math.max(newestSourceTime(join(packageDir, 'src')), statSync(join(packageDir, 'package.json')).mtimeMs);
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  const result = spawnSync('pnpm', ['run', 'build'], { cwd: packageDir, encoding: 'utf8', timeout: 170_000 });
  if (result.error || result.status !== 0) {
    throw new Error(`building ${packageDir} failed: ${result.error?.message ?? ''}\n${result.stdout}${result.stderr}`);
  }
}
