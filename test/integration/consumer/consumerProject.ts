// Clean npm projects outside the workspace, with our packed tarballs installed as a user installs them.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '../../..');
/** Shared with the collector and Prometheus caches; CI keeps it between runs. */
export const cacheRoot = process.env.BIZMETRICS_CACHE_DIR ?? join(homedir(), '.cache', 'bizmetrics');
const npmCache = join(cacheRoot, 'npm');

/** Temp folders made by this module, removed by `removeCreated` (kept with BIZMETRICS_KEEP_CONSUMER=1 for a post-mortem). */
const created: string[] = [];

export function removeCreated(): void {
  if (process.env.BIZMETRICS_KEEP_CONSUMER === '1') return;
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export type PackageDir = 'core' | 'adapters' | 'cli';
export const publishable: readonly PackageDir[] = ['core', 'adapters', 'cli'];

export interface PackageManifest {
  readonly name: string;
  readonly version: string;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** How a finished command ended and what it printed. */
export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment without what pnpm and jest put there (npm_config_*, NODE_OPTIONS), so npm behaves as in a user's shell. */
export function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|PNPM_|NODE_OPTIONS$|NODE_ENV$|JEST_|INIT_CWD$)/.test(key)) continue;
    env[key] = value;
  }
  return {
    ...env,
    npm_config_cache: npmCache,
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_loglevel: 'error',
    ...extra,
  };
}

/** Runs a program (no shell) to its end; never rejects unless it cannot start. */
export function run(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Finished> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? userEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 240000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${command}: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
}

/** Like `run`, but a non-zero exit throws with the command's output. */
export async function runOk(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Finished> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} (in ${options.cwd}) exited with ${result.signal ?? String(result.code)}\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
  }
  return result;
}

/** `pnpm pack` of every publishable package (from its built dist) into a fresh folder. */
export function packPublishable(): Record<PackageDir, string> {
  const out = mkdtempSync(join(tmpdir(), 'bizmetrics-tarballs-'));
  created.push(out);
  const tarballs: Partial<Record<PackageDir, string>> = {};
  for (const dir of publishable) {
    const before = new Set(readdirSync(out));
    execFileSync('pnpm', ['pack', '--pack-destination', out], { cwd: join(repoRoot, 'packages', dir), stdio: ['ignore', 'ignore', 'pipe'] });
    const made = readdirSync(out).find((file) => file.endsWith('.tgz') && !before.has(file));
    if (made === undefined) throw new Error(`pnpm pack made no tarball for packages/${dir}`);
    tarballs[dir] = join(out, made);
  }
  return tarballs as Record<PackageDir, string>;
}

/** The package.json inside a tarball, as the registry would serve it. */
export function packedManifest(tarball: string): PackageManifest {
  return JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' })) as PackageManifest;
}

/** A new npm project in the system temp folder, far from the workspace's node_modules. */
export function createProject(name: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), `bizmetrics-consumer-${name}-`));
  created.push(dir);
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: `consumer-${name}`, version: '0.0.0', private: true, type: 'module' }, null, 2)}\n`);
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(resolve(full, '..'), { recursive: true });
    writeFileSync(full, text);
  }
}

/** `npm install` with the shared cache, preferring it over the registry. */
export function npmInstall(dir: string, specs: readonly string[], flags: readonly string[] = []): Promise<Finished> {
  return run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...flags, ...specs], { cwd: dir });
}

/** Versions of a package that a range admits, oldest first, as the registry lists them. */
export async function versionsIn(name: string, range: string): Promise<string[]> {
  const result = await runOk('npm', ['view', `${name}@${range}`, 'version', '--json'], { cwd: tmpdir() });
  const parsed = JSON.parse(result.stdout) as string | string[];
  const versions = Array.isArray(parsed) ? parsed : [parsed];
  if (versions.length === 0) throw new Error(`no version of ${name} in ${range}`);
  return versions;
}

/** The newest Node 22 (the lowest major we claim), from the registry's node-linux-* package, cached. */
export async function node22(): Promise<string> {
  const arch = process.arch === 'arm64' ? 'arm64' : 'x64';
  const prefix = join(cacheRoot, 'node22');
  const binary = join(prefix, 'node_modules', `node-linux-${arch}`, 'bin', 'node');
  if (!existsSync(binary)) {
    await runOk('npm', ['install', '--no-save', '--prefer-offline', '--prefix', prefix, `node-linux-${arch}@22`], { cwd: tmpdir() });
  }
  return binary;
}
