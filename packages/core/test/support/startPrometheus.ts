import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from './freePort';
import { queryInstantVector } from './queryPrometheus';
import { waitUntil } from './waitUntil';

/** One scrape job of the temporary Prometheus. */
export interface ScrapeTarget {
  /** `job` label. */
  readonly job: string;
  /** `host:port`, e.g. `127.0.0.1:40123`. */
  readonly target: string;
  /** @default '/metrics' */
  readonly metricsPath?: string;
}

/** Options of `startPrometheus`. */
export interface StartPrometheusOptions {
  readonly targets?: readonly ScrapeTarget[];
  /** Scrape (and rule evaluation) interval in seconds. @default 1 */
  readonly scrapeIntervalSeconds?: number;
  /** Rule files' contents (YAML), loaded as `rule_files`. */
  readonly ruleFiles?: readonly string[];
  /** More command-line flags, e.g. `--web.enable-remote-write-receiver`. */
  readonly extraArgs?: readonly string[];
  /** Binary. @default process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus' */
  readonly binary?: string;
  /** How long to wait for `/-/ready`. @default 30000 */
  readonly readyTimeoutMs?: number;
}

/** A running Prometheus on a loopback port with throw-away storage. */
export interface RunningPrometheus {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Everything it logged so far (for failure messages). */
  logs(): string;
  /** Resolves once Prometheus has stored at least `count` scrapes of `job` after this call. */
  waitForScrapes(job: string, count: number, timeoutMs?: number): Promise<void>;
  /** Kills the process and deletes its storage. */
  stop(): Promise<void>;
}

function prometheusConfig(options: StartPrometheusOptions, ruleFilePaths: readonly string[]): string {
  const interval = `${options.scrapeIntervalSeconds ?? 1}s`;
  const lines = ['global:', `  scrape_interval: ${interval}`, `  evaluation_interval: ${interval}`, `  scrape_timeout: ${interval}`];
  if (ruleFilePaths.length > 0) {
    lines.push('rule_files:');
    for (const path of ruleFilePaths) lines.push(`  - ${JSON.stringify(path)}`);
  }
  lines.push('scrape_configs:');
  for (const target of options.targets ?? []) {
    lines.push(
      `  - job_name: ${JSON.stringify(target.job)}`,
      `    metrics_path: ${JSON.stringify(target.metricsPath ?? '/metrics')}`,
      '    static_configs:',
      `      - targets: [${JSON.stringify(target.target)}]`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Starts a real Prometheus scraping `targets`, waits until it is ready and returns a handle.
 * Rejects (with Prometheus' own log) when it cannot start: a test that needs it must fail, not skip.
 */
export async function startPrometheus(options: StartPrometheusOptions = {}): Promise<RunningPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'bizmetrics-prometheus-'));
  const ruleFilePaths: string[] = [];
  for (const [index, rules] of (options.ruleFiles ?? []).entries()) {
    const path = join(dir, `rules-${index}.yml`);
    await writeFile(path, rules);
    ruleFilePaths.push(path);
  }
  const configPath = join(dir, 'prometheus.yml');
  await writeFile(configPath, prometheusConfig(options, ruleFilePaths));
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const binary = options.binary ?? process.env['PROMETHEUS_BIN'] ?? '/usr/bin/prometheus';

  let log = '';
  let exited: string | undefined;
  const child: ChildProcess = spawn(
    binary,
    [
      `--config.file=${configPath}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-lifecycle',
      ...(options.extraArgs ?? []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  const exitPromise = new Promise<void>((resolve) => {
    child.once('error', (error) => {
      exited = `could not be started: ${error.message}`;
      resolve();
    });
    child.once('exit', (code, signal) => {
      exited ??= `exited with ${signal ?? `code ${String(code)}`}`;
      resolve();
    });
  });

  const stop = async (): Promise<void> => {
    if (exited === undefined) {
      child.kill('SIGTERM');
      const killTimer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exitPromise;
      clearTimeout(killTimer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  try {
    // The probe ends the wait as soon as the process is gone, so a crash fails at once, not on timeout.
    await waitUntil(
      async () => {
        if (exited !== undefined) return 'exited';
        const response = await fetch(`${url}/-/ready`).catch(() => undefined);
        return response?.ok === true ? 'ready' : undefined;
      },
      { timeoutMs: options.readyTimeoutMs ?? 30000, intervalMs: 100, description: `Prometheus ready on ${url}` },
    );
    if (exited !== undefined) throw new Error(`Prometheus ${exited}`);
  } catch (error) {
    await stop();
    const reason = exited !== undefined ? `Prometheus ${exited}` : (error as Error).message;
    throw new Error(`startPrometheus: ${reason}\n--- Prometheus log ---\n${log}`, { cause: error });
  }

  return {
    url,
    port,
    logs: () => log,
    async waitForScrapes(job, count, timeoutMs = 30000) {
      // `up` is written once per scrape attempt; count its samples in storage.
      const expr = `count_over_time(up{job=${JSON.stringify(job)}}[1h])`;
      const scrapes = async (): Promise<number> => (await queryInstantVector(url, expr))[0]?.value ?? 0;
      const start = await scrapes();
      await waitUntil(async () => (await scrapes()) >= start + count, {
        timeoutMs,
        intervalMs: 200,
        description: `${count} scrape(s) of job ${job}`,
      });
    },
    stop,
  };
}
