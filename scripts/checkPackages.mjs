// Packs each publishable package the way npm would and checks it as users will consume it:
// publint (package.json/exports correctness) and @arethetypeswrong/cli under its strict profile:
// every entry must resolve with types under node10 (`moduleResolution: node`), node16 (ESM and CJS)
// and bundler, so any problem on any entry fails the check.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const packagesDir = join(root, 'packages');
let failed = false;

for (const name of readdirSync(packagesDir)) {
  const dir = join(packagesDir, name);
  const manifestPath = join(dir, 'package.json');
  if (!existsSync(manifestPath)) continue;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (manifest.private) continue;
  const out = mkdtempSync(join(tmpdir(), 'bizmetrics-pack-'));
  try {
    execFileSync('pnpm', ['pack', '--pack-destination', out], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
    const tarball = readdirSync(out).find((file) => file.endsWith('.tgz'));
    if (!tarball) throw new Error(`pnpm pack produced no tarball for ${manifest.name}`);
    const tarballPath = join(out, tarball);
    process.stderr.write(`-- ${manifest.name}: publint\n`);
    execFileSync('pnpm', ['exec', 'publint', '--strict', tarballPath], { cwd: root, stdio: 'inherit' });
    process.stderr.write(`-- ${manifest.name}: are the types wrong?\n`);
    // node10 has no `exports`: subpaths resolve through `typesVersions`, so they are checked too.
    execFileSync('pnpm', ['exec', 'attw', tarballPath, '--profile', 'strict', '--format', 'table-flipped'], { cwd: root, stdio: 'inherit' });
  } catch (error) {
    failed = true;
    process.stderr.write(`FAILED: ${manifest.name}: ${error.message}\n`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
process.exit(failed ? 1 : 0);
