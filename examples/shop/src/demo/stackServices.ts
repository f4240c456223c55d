import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import type { ProcessGroup } from './processGroup';
import { freePort, waitForHttp } from './readiness';

/** The collector and Prometheus the stack path runs. */
export interface Stack {
  /** Where the shop sends OTLP/HTTP metrics. */
  readonly otlpUrl: string;
  /** The collector's Prometheus exporter (`/metrics`). */
  readonly collectorMetricsUrl: string;
  readonly prometheusUrl: string;
  /** Removes the temporary config and TSDB (after the processes are stopped). */
  cleanup(): Promise<void>;
}

interface PrometheusConfig {
  global?: Record<string, unknown>;
  rule_files?: string[];
  scrape_configs?: { static_configs?: { targets?: string[] }[] }[];
}

/**
 * Writes a Prometheus config from `collector-config/prometheus/prometheus.yml` with the collector's
 * real port in every target, absolute rule paths, and a 5 s scrape/evaluation interval so the demo
 * moves (the shipped 15 s stays the default for real deployments).
 */
export async function writePrometheusConfig(repoRoot: string, dir: string, collectorPort: number): Promise<string> {
  const source = path.join(repoRoot, 'collector-config/prometheus');
  const config = parse(await readFile(path.join(source, 'prometheus.yml'), 'utf8')) as PrometheusConfig;
  config.global = { ...config.global, scrape_interval: '5s', evaluation_interval: '5s' };
  config.rule_files = (config.rule_files ?? []).map((file) => path.resolve(source, file));
  for (const scrape of config.scrape_configs ?? []) {
    for (const group of scrape.static_configs ?? []) {
      group.targets = (group.targets ?? []).map((target) => target.replace(/^[^:]+:\d+$/, `127.0.0.1:${collectorPort}`));
    }
  }
  const file = path.join(dir, 'prometheus.yml');
  await writeFile(file, stringify(config));
  return file;
}

/** Starts the collector (base config, loopback ports) and Prometheus (the project's config and rules). */
export async function startStack(options: {
  repoRoot: string;
  collectorBinary: string;
  prometheusBinary: string;
  group: ProcessGroup;
  env: NodeJS.ProcessEnv;
  progress: (message: string) => void;
}): Promise<Stack> {
  const { repoRoot, group, progress } = options;
  const dir = await mkdtemp(path.join(tmpdir(), 'bizmetrics-demo-'));
  const [otlpHttp, otlpGrpc, exporter, health, selfMetrics, prometheusPort] = (await Promise.all(Array.from({ length: 6 }, freePort))) as [number, number, number, number, number, number];

  progress(`starting the collector (${path.basename(options.collectorBinary)}, otelcol/base.yaml)`);
  const collector = group.start('collector', options.collectorBinary, ['--config', path.join(repoRoot, 'collector-config/otelcol/base.yaml')], {
    env: {
      ...options.env,
      BIZMETRICS_OTLP_HTTP_ENDPOINT: `127.0.0.1:${otlpHttp}`,
      BIZMETRICS_OTLP_GRPC_ENDPOINT: `127.0.0.1:${otlpGrpc}`,
      BIZMETRICS_PROMETHEUS_ENDPOINT: `127.0.0.1:${exporter}`,
      BIZMETRICS_HEALTH_ENDPOINT: `127.0.0.1:${health}`,
      BIZMETRICS_SELF_METRICS_HOST: '127.0.0.1',
      BIZMETRICS_SELF_METRICS_PORT: String(selfMetrics),
      BIZMETRICS_LOG_LEVEL: 'warn',
    },
  });
  await waitForHttp(`http://127.0.0.1:${health}/`, collector, 30_000);
  progress(`collector ready (pid ${collector.pid}): OTLP/HTTP on 127.0.0.1:${otlpHttp}, Prometheus exporter on 127.0.0.1:${exporter}`);

  const configFile = await writePrometheusConfig(repoRoot, dir, exporter);
  progress('starting Prometheus (collector-config/prometheus/prometheus.yml + rules, targets rewritten)');
  const prometheus = group.start(
    'prometheus',
    options.prometheusBinary,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${prometheusPort}`,
      '--log.level=warn',
    ],
    { env: options.env },
  );
  const prometheusUrl = `http://127.0.0.1:${prometheusPort}`;
  await waitForHttp(`${prometheusUrl}/-/ready`, prometheus, 30_000);
  progress(`Prometheus ready (pid ${prometheus.pid})`);

  return {
    otlpUrl: `http://127.0.0.1:${otlpHttp}/v1/metrics`,
    collectorMetricsUrl: `http://127.0.0.1:${exporter}/metrics`,
    prometheusUrl,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
