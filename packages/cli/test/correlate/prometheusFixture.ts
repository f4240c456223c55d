// A real Prometheus 2.x holding backfilled history: OpenMetrics text → promtool blocks → prometheus on a free port.
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
export const PROMTOOL_BIN = process.env.PROMTOOL_BIN ?? '/usr/bin/promtool';

export interface BackfilledPrometheus {
  url: string;
  stop(): Promise<void>;
}

/** Asks the OS for a free loopback port: other engineers run servers on this machine at the same time. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Backfills `openMetrics` (must end with `# EOF`) and starts Prometheus on it. Throws — never skips — when
 * promtool or prometheus cannot run: these tests exist to prove the command against the real server.
 */
export async function startBackfilledPrometheus(openMetrics: string): Promise<BackfilledPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'bizmetrics-correlate-'));
  const input = join(dir, 'history.om.txt');
  const data = join(dir, 'data');
  const config = join(dir, 'prometheus.yml');
  await writeFile(input, openMetrics);
  await execFileAsync(PROMTOOL_BIN, ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', input, data]);
  // No scrape jobs: the backfilled blocks are all the data this server will ever have.
  await writeFile(config, 'global:\n  evaluation_interval: 1m\n');

  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const candidate = spawn(
      PROMETHEUS_BIN,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${data}`,
        // Backfilled history is days old; keep it well inside retention.
        '--storage.tsdb.retention.time=90d',
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    candidate.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const url = `http://127.0.0.1:${port}`;
    if (await waitReady(url, candidate)) {
      return {
        url,
        async stop() {
          await stopProcess(candidate);
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
    lastError = stderr.slice(-2000);
    await stopProcess(candidate);
  }
  await rm(dir, { recursive: true, force: true });
  throw new Error(`Prometheus did not become ready: ${lastError}`);
}

async function waitReady(url: string, child: ChildProcess): Promise<boolean> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return false;
    try {
      const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
