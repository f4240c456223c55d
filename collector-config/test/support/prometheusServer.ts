import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findFreePort } from './freePort';
import type { ManagedProcess, ProcessGroup } from './managedProcesses';
import { queryInstant, type PromSample } from './promQuery';
import { waitForHttpOk } from './waitFor';

/** A scrape job of a test Prometheus. */
export interface ScrapeJob {
  jobName: string;
  /** `host:port` */
  target: string;
  metricsPath?: string;
  /** Keep the target's own `job`/`instance` labels (what `prometheus/prometheus.yml` does for the collector). */
  honorLabels?: boolean;
}

/** Options of `startPrometheus`. */
export interface PrometheusServerOptions {
  /** Names the data directory, config and log. */
  name: string;
  /** Directory for config, TSDB and log. */
  workDir: string;
  scrapeJobs?: readonly ScrapeJob[];
  /** @default 1 */
  scrapeIntervalSeconds?: number;
  /** `--web.enable-remote-write-receiver` (accepts POST /api/v1/write). @default false */
  remoteWriteReceiver?: boolean;
}

/** A real Prometheus server (`/usr/bin/prometheus`) on a free loopback port. */
export interface PrometheusServer {
  readonly url: string;
  readonly remoteWriteUrl: string;
  readonly process: ManagedProcess;
  query(promql: string, timeSeconds?: number): Promise<PromSample[]>;
}

/** Starts Prometheus and waits for `/-/ready`; throws (never skips) if it cannot start. */
export async function startPrometheus(group: ProcessGroup, options: PrometheusServerOptions): Promise<PrometheusServer> {
  const dir = join(options.workDir, options.name);
  mkdirSync(dir, { recursive: true });
  const interval = `${options.scrapeIntervalSeconds ?? 1}s`;
  const jobs = (options.scrapeJobs ?? []).map((job) =>
    [
      `  - job_name: ${JSON.stringify(job.jobName)}`,
      `    honor_labels: ${job.honorLabels ?? false}`,
      `    metrics_path: ${JSON.stringify(job.metricsPath ?? '/metrics')}`,
      `    static_configs:`,
      `      - targets: [${JSON.stringify(job.target)}]`,
    ].join('\n'),
  );
  const configPath = join(dir, 'prometheus.yml');
  writeFileSync(
    configPath,
    `global:\n  scrape_interval: ${interval}\n  evaluation_interval: ${interval}\nscrape_configs:\n${jobs.length ? jobs.join('\n') : '  []'}\n`,
  );
  const port = await findFreePort();
  const args = [
    `--config.file=${configPath}`,
    `--storage.tsdb.path=${join(dir, 'tsdb')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ];
  if (options.remoteWriteReceiver) args.push('--web.enable-remote-write-receiver');
  const process = group.start(`prometheus ${options.name}`, 'prometheus', args, { logPath: join(dir, 'prometheus.log') });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttpOk(`${url}/-/ready`, `Prometheus ${options.name} to be ready`, {
    timeoutMs: 60000,
    failIf: () => (process.running ? undefined : 'prometheus exited'),
    diagnostics: () => `${process.spawnError ? `spawn error: ${process.spawnError.message}\n` : ''}${process.logTail()}`,
  });
  return {
    url,
    remoteWriteUrl: `${url}/api/v1/write`,
    process,
    query: (promql, timeSeconds) => queryInstant(url, promql, timeSeconds),
  };
}
