import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from './freePort';

/** One instant-query result sample. */
export interface PromSample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

/** A real Prometheus (the machine's /usr/bin/prometheus) on a free loopback port with its own TSDB. */
export class PrometheusServer {
  private constructor(
    readonly url: string,
    private readonly process: ChildProcess,
    private readonly dir: string,
    private readonly output: () => string,
  ) {}

  /** Starts Prometheus scraping `targets` every second; throws (never skips) if it does not get ready. */
  static async start(options: { job: string; targets: readonly string[]; ruleFiles?: readonly string[] }): Promise<PrometheusServer> {
    const dir = await mkdtemp(join(tmpdir(), 'bizmetrics-prom-'));
    const config = {
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: options.ruleFiles ?? [],
      scrape_configs: [{ job_name: options.job, scrape_interval: '1s', static_configs: [{ targets: options.targets }] }],
    };
    await writeFile(join(dir, 'prometheus.yml'), stringify(config));
    const port = await freePort();
    let output = '';
    const child = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const server = new PrometheusServer(`http://127.0.0.1:${port}`, child, dir, () => output);
    const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
    spawnError.catch(() => undefined);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) break;
      try {
        const response = await Promise.race([fetch(`${server.url}/-/ready`), spawnError]);
        if (response.ok) return server;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('prometheus is not installed (/usr/bin/prometheus)', { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await server.stop();
    throw new Error(`Prometheus did not become ready on port ${port}:\n${output}`);
  }

  /** Instant query; throws with Prometheus's error text when the query fails. */
  async query(expr: string): Promise<PromSample[]> {
    const response = await fetch(`${this.url}/api/v1/query?${new URLSearchParams({ query: expr })}`);
    const body = (await response.json()) as { status: string; error?: string; data?: { resultType: string; result: PromSample[] } };
    if (body.status !== 'success' || body.data === undefined) throw new Error(`query failed: ${body.error ?? response.status}\n${expr}`);
    if (body.data.resultType !== 'vector') throw new Error(`expected a vector, got ${body.data.resultType}\n${expr}`);
    return body.data.result;
  }

  /** GET an API path and return its `data`. */
  async api<T>(path: string): Promise<T> {
    const response = await fetch(`${this.url}${path}`);
    const body = (await response.json()) as { status: string; error?: string; data: T };
    if (body.status !== 'success') throw new Error(`${path} failed: ${body.error ?? response.status}`);
    return body.data;
  }

  /** Polls `expr` until its single value equals `expected`. */
  async waitForValue(expr: string, expected: number, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no result';
    while (Date.now() < deadline) {
      const result = await this.query(expr);
      const value = result[0]?.value[1];
      if (value !== undefined && Number(value) === expected) return;
      last = value ?? 'no result';
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`timed out waiting for ${expr} == ${expected}; last: ${last}\n${this.output()}`);
  }

  async stop(): Promise<void> {
    if (this.process.exitCode === null) {
      const exited = new Promise((resolve) => this.process.once('exit', resolve));
      this.process.kill('SIGTERM');
      await exited;
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}
