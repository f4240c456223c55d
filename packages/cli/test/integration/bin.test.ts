// The built binary, spawned the way users run it: `node dist/cli.js`, `pnpm exec bizmetrics`, `npx bizmetrics`.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt } from '../support/ensureBuilt';
import { badEntries, shopCatalog, writeEsmCatalog } from '../support/catalogFixtures';
import { cliPackageDir, repoRoot } from '../support/repoPaths';

jest.setTimeout(180_000);

const bin = join(cliPackageDir, 'dist/cli.js');
let dir: string;

function run(command: string, args: readonly string[], cwd = dir): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, [...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  ensureBuilt(join(repoRoot, 'packages/core'), 'dist/index.js');
  ensureBuilt(cliPackageDir, 'dist/cli.js');
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bizmetrics-bin-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('dist/cli.js starts with a node shebang', async () => {
  expect((await readFile(bin, 'utf8')).split('\n')[0]).toBe('#!/usr/bin/env node');
});

// The monorepo keeps its generated files where the root package.json scripts write them.
test.each([
  ['docs', 'docs/metrics.md'],
  ['rules', 'collector-config/prometheus/rules'],
  ['dashboard', 'collector-config/grafana/business-dashboard.json'],
])('the committed output of `%s` is up to date (what CI runs)', (command, out) => {
  const result = run(process.execPath, [bin, command, '--check', '--out', out], repoRoot);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
});

test('an ES module catalog is loaded with native import()', async () => {
  const path = await writeEsmCatalog(dir, 'shop', shopCatalog);
  const result = run(process.execPath, [bin, 'docs', '--catalog', path, '--out', 'metrics.md']);
  expect(result.code).toBe(0);
  const docs = await readFile(join(dir, 'metrics.md'), 'utf8');
  expect(docs).toContain('## shop_delivery_seconds');
  expect(docs).toContain('| 86400 | 24h |');
});

test.each(Object.entries(badEntries))('a catalog entry with %s exits 2 naming the entry and field', async (_name, bad) => {
  const path = await writeEsmCatalog(dir, 'bad', [bad.entry]);
  const result = run(process.execPath, [bin, 'rules', '--catalog', path]);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain(`- ${bad.metric}: ${bad.field} `);
});

test('--version of the built binary is the package version', async () => {
  const { version } = JSON.parse(await readFile(join(cliPackageDir, 'package.json'), 'utf8')) as { version: string };
  const result = run(process.execPath, [bin, '--version']);
  expect(result).toMatchObject({ code: 0, stdout: `${version}\n` });
});

test('defaults write under the working directory, nothing named after the monorepo', async () => {
  for (const command of ['docs', 'rules', 'dashboard']) expect(run(process.execPath, [bin, command]).code).toBe(0);
  const { readdir } = await import('node:fs/promises');
  expect((await readdir(dir)).sort()).toEqual(['docs', 'grafana', 'prometheus']);
});

test('pnpm exec bizmetrics and npx bizmetrics run the same binary', () => {
  const viaPnpm = run('pnpm', ['exec', 'bizmetrics', 'rules', '--check', '--out', 'collector-config/prometheus/rules'], repoRoot);
  expect(viaPnpm.code).toBe(0);
  expect(viaPnpm.stdout).toContain('business-alerts.yml: up to date');
  const viaNpx = run('npx', ['--no-install', 'bizmetrics', '--help'], repoRoot);
  expect(viaNpx.code).toBe(0);
  expect(viaNpx.stdout).toContain('Usage: bizmetrics');
});
