import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real Prometheus on a free loopback port, scraping one target. */
export interface RunningPrometheus {
  readonly url: string;
  /** Instant query; returns the result vector (throws on an API error). */
  query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  /** Polls `expr` until `accept` is true for its vector, or throws with the last result after `timeoutMs`. */
  waitFor(expr: string, accept: (values: number[]) => boolean, timeoutMs?: number): Promise<number[]>;
  stop(): Promise<void>;
}

/** A port the OS says is free now (tiny race before use; good enough on loopback). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts `/usr/bin/prometheus` scraping `target` (host:port) every second. Throws (so the test fails)
 * when the binary is missing or the server is not ready within 30 s.
 */
export async function startPrometheus(target: string, metricsPath = '/metrics'): Promise<RunningPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'bizmetrics-funnels-prom-'));
  const config = join(dir, 'prometheus.yml');
  await writeFile(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'scrape_configs:',
      '  - job_name: bizmetrics',
      `    metrics_path: ${metricsPath}`,
      '    static_configs:',
      `      - targets: ['${target}']`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(
    '/usr/bin/prometheus',
    [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exited: string | undefined;
  child.on('error', (error) => (exited = `failed to start: ${error.message}`));
  child.on('exit', (code, signal) => (exited ??= `exited with ${code ?? signal}`));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const done = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([done, new Promise((resolve) => (timer = setTimeout(resolve, 5_000)))]);
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited !== undefined) {
      await stop();
      throw new Error(`Prometheus ${exited}:\n${output.slice(-2000)}`);
    }
    try {
      const response = await fetch(`${url}/-/ready`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Prometheus not ready after 30 s:\n${output.slice(-2000)}`);
    }
    await sleep(200);
  }

  const query: RunningPrometheus['query'] = async (expr) => {
    const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await response.json()) as { status: string; error?: string; data?: { result: { metric: Record<string, string>; value: [number, string] }[] } };
    if (body.status !== 'success' || body.data === undefined) throw new Error(`query ${expr} failed: ${body.error ?? response.status}`);
    return body.data.result;
  };

  const waitFor: RunningPrometheus['waitFor'] = async (expr, accept, timeoutMs = 30_000) => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const last = (await query(expr)).map((sample) => Number(sample.value[1]));
      if (accept(last)) return last;
      if (Date.now() > until) throw new Error(`timed out waiting on ${expr}; last result ${JSON.stringify(last)}`);
      await sleep(250);
    }
  };

  return { url, query, waitFor, stop };
}
