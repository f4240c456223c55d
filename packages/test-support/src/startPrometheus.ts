import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from './freePort';
import { ProcessGroup, type ManagedProcess } from './managedProcess';
import { queryInstantVector, type InstantSample } from './queryPrometheus';
import { waitUntil } from './waitUntil';

/** One scrape job of the test Prometheus. */
export interface ScrapeTarget {
  /** `job` label. */
  readonly job: string;
  /** `host:port`, e.g. `127.0.0.1:40123`; several for one job. */
  readonly target: string | readonly string[];
  /** @default '/metrics' */
  readonly metricsPath?: string;
  /** Keep the target's own `job`/`instance` labels (what a scrape of the collector does). @default false */
  readonly honorLabels?: boolean;
  /** Sent as `Authorization: Bearer <token>` on every scrape of this job. */
  readonly bearerToken?: string;
}

/** Options of `startPrometheus`. Every option is optional: the default is an empty Prometheus. */
export interface StartPrometheusOptions {
  /** Scrape jobs written into the generated config. */
  readonly targets?: readonly ScrapeTarget[];
  /** Scrape (and rule evaluation) interval in seconds. @default 1 */
  readonly scrapeIntervalSeconds?: number;
  /** Rule files' contents (YAML), written next to the config and loaded as `rule_files`. */
  readonly ruleFiles?: readonly string[];
  /** Paths of existing rule files, loaded as `rule_files` too. */
  readonly ruleFilePaths?: readonly string[];
  /** The whole `prometheus.yml` as text; replaces the generated one (then `targets`/`ruleFiles` are ignored). */
  readonly configText?: string;
  /** Accept pushes on `POST /api/v1/write` (`--web.enable-remote-write-receiver`). @default false */
  readonly remoteWriteReceiver?: boolean;
  /** TSDB directory to use, e.g. one `backfillOpenMetrics` filled; kept on `stop()`. @default a temp dir */
  readonly storageDir?: string;
  /** `--storage.tsdb.retention.time`, e.g. `90d` for backfilled history days old. @default Prometheus' 15d */
  readonly retention?: string;
  /** More command-line flags. */
  readonly extraArgs?: readonly string[];
  /** Directory for config and log (kept on `stop()`, for post-mortems). @default a temp dir, deleted on stop */
  readonly workDir?: string;
  /** Register the process here so the caller's `stopAll()` ends it too. @default a group of its own */
  readonly group?: ProcessGroup;
  /** Name in log messages and file names. @default 'prometheus' */
  readonly name?: string;
  /** Binary. @default process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus' */
  readonly binary?: string;
  /** How long to wait for `/-/ready` (generous: the machine is shared). @default 60000 */
  readonly readyTimeoutMs?: number;
}

/** A running Prometheus on a loopback port. */
export interface RunningPrometheus {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** `<url>/api/v1/write` (accepts pushes only with `remoteWriteReceiver`). */
  readonly remoteWriteUrl: string;
  readonly process: ManagedProcess;
  /** Everything it logged so far (for failure messages). */
  logs(): string;
  /** Instant query at `time` (seconds, default now); throws on a query error. */
  query(expr: string, time?: number): Promise<InstantSample[]>;
  /** Polls `expr` until `accept` holds for its values; throws with the last values and the log after `timeoutMs`. */
  waitFor(expr: string, accept: (values: number[]) => boolean, timeoutMs?: number): Promise<number[]>;
  /** Resolves once Prometheus has stored at least `count` scrapes of `job` after this call. */
  waitForScrapes(job: string, count: number, timeoutMs?: number): Promise<void>;
  /** Stops the process and deletes the temp directories it created. */
  stop(): Promise<void>;
}

function generatedConfig(options: StartPrometheusOptions, ruleFilePaths: readonly string[]): string {
  const interval = `${options.scrapeIntervalSeconds ?? 1}s`;
  const lines = ['global:', `  scrape_interval: ${interval}`, `  evaluation_interval: ${interval}`, `  scrape_timeout: ${interval}`];
  if (ruleFilePaths.length > 0) {
    lines.push('rule_files:');
    for (const path of ruleFilePaths) lines.push(`  - ${JSON.stringify(path)}`);
  }
  lines.push(options.targets?.length ? 'scrape_configs:' : 'scrape_configs: []');
  for (const target of options.targets ?? []) {
    const addresses = typeof target.target === 'string' ? [target.target] : target.target;
    lines.push(
      `  - job_name: ${JSON.stringify(target.job)}`,
      `    honor_labels: ${target.honorLabels ?? false}`,
      `    metrics_path: ${JSON.stringify(target.metricsPath ?? '/metrics')}`,
      ...(target.bearerToken === undefined ? [] : [`    authorization: { type: Bearer, credentials: ${JSON.stringify(target.bearerToken)} }`]),
      '    static_configs:',
      `      - targets: ${JSON.stringify(addresses)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Starts a real Prometheus on a free loopback port, waits until `/-/ready` and returns a handle.
 * Rejects with Prometheus' own log when it cannot start or exits early: a test that needs it must
 * fail, never skip.
 */
export async function startPrometheus(options: StartPrometheusOptions = {}): Promise<RunningPrometheus> {
  const name = options.name ?? 'prometheus';
  const tempDir = options.workDir === undefined ? await mkdtemp(join(tmpdir(), 'bizmetrics-prometheus-')) : undefined;
  const dir = options.workDir ?? (tempDir as string);
  await mkdir(dir, { recursive: true });
  const ruleFilePaths = [...(options.ruleFilePaths ?? [])];
  for (const [index, rules] of (options.ruleFiles ?? []).entries()) {
    const path = join(dir, `${name}-rules-${index}.yml`);
    await writeFile(path, rules);
    ruleFilePaths.push(path);
  }
  const configPath = join(dir, `${name}.yml`);
  await writeFile(configPath, options.configText ?? generatedConfig(options, ruleFilePaths));
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [
    `--config.file=${configPath}`,
    `--storage.tsdb.path=${options.storageDir ?? join(dir, `${name}-data`)}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ];
  if (options.retention !== undefined) args.push(`--storage.tsdb.retention.time=${options.retention}`);
  if (options.remoteWriteReceiver === true) args.push('--web.enable-remote-write-receiver');
  args.push(...(options.extraArgs ?? []));

  const group = options.group ?? new ProcessGroup();
  const binary = options.binary ?? process.env['PROMETHEUS_BIN'] ?? '/usr/bin/prometheus';
  const child = group.start(name, binary, args, { logPath: options.workDir === undefined ? undefined : join(dir, `${name}.log`) });

  const stop = async (): Promise<void> => {
    await child.stop('SIGTERM', 5000);
    if (options.group === undefined) await group.stopAll();
    if (tempDir !== undefined) await rm(tempDir, { recursive: true, force: true });
  };

  try {
    // failIf ends the wait as soon as the process is gone, so a crash fails at once, not on timeout.
    await waitUntil(
      async () => {
        const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2000) });
        await response.arrayBuffer();
        return response.ok;
      },
      {
        timeoutMs: options.readyTimeoutMs ?? 60000,
        intervalMs: 100,
        description: `${name} ready on ${url}`,
        failIf: () => (child.exitReason === undefined ? undefined : `${name} ${child.exitReason}`),
      },
    );
  } catch (error) {
    await stop();
    throw new Error(`startPrometheus: ${(error as Error).message}\n${child.logTail(60)}`, { cause: error });
  }

  const query = (expr: string, time?: number): Promise<InstantSample[]> => queryInstantVector(url, expr, time);
  return {
    url,
    port,
    remoteWriteUrl: `${url}/api/v1/write`,
    process: child,
    logs: () => child.log(),
    query,
    async waitFor(expr, accept, timeoutMs = 30000) {
      let last: number[] = [];
      return waitUntil(
        async () => {
          last = (await query(expr)).map((sample) => sample.value);
          return accept(last) ? last : undefined;
        },
        { timeoutMs, intervalMs: 250, description: expr },
      ).catch((error: unknown) => {
        throw new Error(`timed out waiting on ${expr}; last result ${JSON.stringify(last)}\n${child.logTail()}`, { cause: error });
      });
    },
    async waitForScrapes(job, count, timeoutMs = 30000) {
      // `up` is written once per scrape attempt; count its samples in storage.
      const expr = `count_over_time(up{job=${JSON.stringify(job)}}[1h])`;
      const scrapes = async (): Promise<number> => (await query(expr))[0]?.value ?? 0;
      const start = await scrapes();
      await waitUntil(async () => (await scrapes()) >= start + count, {
        timeoutMs,
        intervalMs: 200,
        description: `${count} scrape(s) of job ${job}`,
        diagnostics: () => child.logTail(),
      });
    },
    stop,
  };
}
