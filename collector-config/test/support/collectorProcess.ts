import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { findFreePorts, type ManagedProcess, type ProcessGroup, waitForHttpOk } from '@bizmetrics/test-support';

/** The collector-config directory (collector build, otelcol configs, checks). */
export const collectorConfigDir = resolve(__dirname, '../..');

let binaryPromise: Promise<string> | undefined;

/**
 * The otelcol-bizmetrics binary: `$BIZMETRICS_OTELCOL` if set, else what `collector/build-collector.sh`
 * prints (instant when cached, ~5 min cold). Throws if neither gives an executable.
 */
export function locateCollectorBinary(): Promise<string> {
  binaryPromise ??= (async () => {
    let path = process.env['BIZMETRICS_OTELCOL'];
    if (!path) {
      try {
        const { stdout } = await promisify(execFile)('bash', [join(collectorConfigDir, 'collector/build-collector.sh')], {
          timeout: 15 * 60 * 1000,
          maxBuffer: 10 * 1024 * 1024,
        });
        path = stdout.trim().split('\n').pop();
      } catch (error) {
        throw new Error(`BIZMETRICS_OTELCOL is not set and collector/build-collector.sh failed: ${(error as Error).message}`, { cause: error });
      }
    }
    if (!path) throw new Error('BIZMETRICS_OTELCOL is not set and collector/build-collector.sh printed no path');
    try {
      accessSync(path, constants.X_OK);
    } catch {
      throw new Error(`collector binary is not executable: ${path}`);
    }
    return path;
  })();
  return binaryPromise;
}

/** Options of `startCollector`. */
export interface CollectorOptions {
  name: string;
  /** Log file directory. */
  workDir: string;
  /** Config files, merged in order, e.g. `['otelcol/base.yaml', 'otelcol/profiles/remote-write.yaml']` (absolute or relative to collector-config/). */
  configs: readonly string[];
  /** More environment variables (the listen addresses are set here, on free loopback ports). */
  env?: Record<string, string>;
}

/** A running otelcol-bizmetrics with every listener on its own loopback port. */
export interface CollectorProcess {
  /** OTLP/HTTP base URL; the SDK posts to `${otlpHttpUrl}/v1/metrics`. */
  readonly otlpHttpUrl: string;
  /** OTLP/gRPC listen address, `127.0.0.1:<port>` (what an agent's load-balancing exporter targets). */
  readonly otlpGrpcEndpoint: string;
  /** The Prometheus exporter's scrape target, `127.0.0.1:<port>`, and its URL. */
  readonly prometheusTarget: string;
  readonly prometheusUrl: string;
  /** The collector's own metrics (`otelcol_*`). */
  readonly selfMetricsUrl: string;
  readonly process: ManagedProcess;
  /** SIGTERM, and wait for the exit. */
  stop(): Promise<void>;
  /** Starts it again on the same ports with the same config (after `stop()`). */
  restart(): Promise<void>;
}

/** Starts the collector and waits until its health check answers; throws with its log if it does not. */
export async function startCollector(group: ProcessGroup, options: CollectorOptions): Promise<CollectorProcess> {
  const binary = await locateCollectorBinary();
  const [grpc, http, prom, health, self] = (await findFreePorts(5)) as [number, number, number, number, number];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BIZMETRICS_OTLP_GRPC_ENDPOINT: `127.0.0.1:${grpc}`,
    BIZMETRICS_OTLP_HTTP_ENDPOINT: `127.0.0.1:${http}`,
    BIZMETRICS_PROMETHEUS_ENDPOINT: `127.0.0.1:${prom}`,
    BIZMETRICS_HEALTH_ENDPOINT: `127.0.0.1:${health}`,
    BIZMETRICS_SELF_METRICS_HOST: '127.0.0.1',
    BIZMETRICS_SELF_METRICS_PORT: String(self),
    BIZMETRICS_BATCH_TIMEOUT: '200ms',
    ...options.env,
  };
  const args = options.configs.flatMap((config) => ['--config', resolve(collectorConfigDir, config)]);
  let current: ManagedProcess | undefined;
  let starts = 0;
  const launch = async (): Promise<void> => {
    starts += 1;
    const managed = group.start(`collector ${options.name}#${starts}`, binary, args, {
      env,
      logPath: join(options.workDir, `collector-${options.name}-${starts}.log`),
    });
    current = managed;
    await waitForHttpOk(`http://127.0.0.1:${health}/`, {
      description: `collector ${options.name} health check`,
      timeoutMs: 60000,
      failIf: () => (managed.running ? undefined : 'the collector exited'),
      diagnostics: () => managed.logTail(),
    });
  };
  await launch();
  return {
    otlpHttpUrl: `http://127.0.0.1:${http}`,
    otlpGrpcEndpoint: `127.0.0.1:${grpc}`,
    prometheusTarget: `127.0.0.1:${prom}`,
    prometheusUrl: `http://127.0.0.1:${prom}/metrics`,
    selfMetricsUrl: `http://127.0.0.1:${self}/metrics`,
    get process() {
      return current as ManagedProcess;
    },
    async stop() {
      await current?.stop('SIGTERM', 15000);
    },
    async restart() {
      if (current?.running) throw new Error(`collector ${options.name} is still running`);
      await launch();
    },
  };
}
