import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

const goArch: Record<string, string> = { x64: 'amd64', arm64: 'arm64' };

/**
 * Where `collector-config/collector/build-collector.sh` caches the binary for the current manifest
 * (same hash: manifest, builder version, platform), or undefined when it is not built yet.
 * `BIZMETRICS_OTELCOL` (set by scripts/test.sh) wins.
 */
export function cachedCollector(repoRoot: string): string | undefined {
  const fromEnv = process.env['BIZMETRICS_OTELCOL'];
  if (fromEnv !== undefined && existsSync(fromEnv)) return fromEnv;
  const manifestPath = path.join(repoRoot, 'collector-config/collector/manifest.yaml');
  if (!existsSync(manifestPath)) return undefined;
  const manifest = readFileSync(manifestPath, 'utf8');
  const builder = /^\s*gomod:\s*go\.opentelemetry\.io\/collector\/service\s+(v\d[^\s"]*)/m.exec(manifest)?.[1];
  const name = /^\s*name:\s*([A-Za-z0-9._-]+)/m.exec(manifest)?.[1];
  const arch = goArch[process.arch];
  if (builder === undefined || name === undefined || arch === undefined) return undefined;
  const hash = createHash('sha256').update(`${manifest}\nbuilder=${builder}\nplatform=${process.platform}/${arch}\n`).digest('hex').slice(0, 16);
  const cacheRoot = process.env['BIZMETRICS_CACHE_DIR'] ?? path.join(homedir(), '.cache/bizmetrics');
  const binary = path.join(cacheRoot, 'otelcol', hash, name);
  return existsSync(binary) ? binary : undefined;
}

/** Builds (or reuses) the collector with the project's script, reporting its progress lines. */
export async function buildCollector(repoRoot: string, progress: (line: string) => void): Promise<string> {
  const script = path.join(repoRoot, 'collector-config/collector/build-collector.sh');
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim() !== '') progress(line.trim());
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const binary = stdout.trim().split('\n').pop() ?? '';
      if (code === 0 && existsSync(binary)) resolve(binary);
      else reject(new Error(`build-collector.sh failed (exit ${code}); see its output above`));
    });
  });
}
