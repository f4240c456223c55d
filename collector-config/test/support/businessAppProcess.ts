import { join, resolve } from 'node:path';
import type { BusinessEvent } from './businessEvents';
import { findFreePort, type ManagedProcess, type ProcessGroup, waitForHttpOk } from '@bizmetrics/test-support';

const repoRoot = resolve(__dirname, '../../..');
const appScript = resolve(__dirname, '../fixtures/businessApp.ts');
const tsconfig = resolve(__dirname, '../../tsconfig.json');

/** Options of `startBusinessApp`. */
export interface BusinessAppOptions {
  name: string;
  workDir: string;
  /** Where the SDK posts OTLP, e.g. `http://127.0.0.1:4318/v1/metrics`. */
  otlpUrl: string;
  /** @default 1000 */
  exportIntervalMillis?: number;
  /** @default 'cumulative' */
  temporality?: 'cumulative' | 'delta';
  serviceName?: string;
  instanceId?: string;
}

/** The child app (`test/fixtures/businessApp.ts`) and a client for its control endpoints. */
export interface BusinessApp {
  readonly url: string;
  /** `host:port`, to scrape its own /metrics. */
  readonly target: string;
  readonly process: ManagedProcess;
  record(events: readonly BusinessEvent[]): Promise<void>;
  startLoop(intervalMs: number): Promise<void>;
  stopLoop(): Promise<number>;
  /** `process.memoryUsage()` right after a forced full gc. */
  memoryAfterGc(): Promise<NodeJS.MemoryUsage>;
  exportFailures(): Promise<{ failedExports: number; failedDataPoints: number }>;
}

async function call<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });
  const body = (await response.json()) as T & { error?: string };
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: HTTP ${response.status} ${body.error ?? ''}`);
  return body;
}

const post = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) as const;

/** Starts the app under `node --expose-gc --import tsx` and waits for /healthz. */
export async function startBusinessApp(group: ProcessGroup, options: BusinessAppOptions): Promise<BusinessApp> {
  const port = await findFreePort();
  const managed = group.start(`app ${options.name}`, process.execPath, ['--expose-gc', '--import', 'tsx', appScript], {
    cwd: repoRoot,
    logPath: join(options.workDir, `app-${options.name}.log`),
    env: {
      ...process.env,
      TSX_TSCONFIG_PATH: tsconfig,
      APP_PORT: String(port),
      APP_OTLP_URL: options.otlpUrl,
      APP_EXPORT_INTERVAL_MS: String(options.exportIntervalMillis ?? 1000),
      APP_TEMPORALITY: options.temporality ?? 'cumulative',
      APP_SERVICE_NAME: options.serviceName ?? 'checkout',
      APP_INSTANCE_ID: options.instanceId ?? `checkout-${options.name}`,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttpOk(`${url}/healthz`, {
    description: `app ${options.name} to serve`,
    timeoutMs: 60000,
    failIf: () => (managed.running ? undefined : 'the app exited'),
    diagnostics: () => managed.logTail(),
  });
  return {
    url,
    target: `127.0.0.1:${port}`,
    process: managed,
    async record(events) {
      await call(`${url}/record`, post({ events }));
    },
    async startLoop(intervalMs) {
      await call(`${url}/loop/start`, post({ intervalMs }));
    },
    async stopLoop() {
      return (await call<{ ticks: number }>(`${url}/loop/stop`, post({}))).ticks;
    },
    memoryAfterGc: () => call<NodeJS.MemoryUsage>(`${url}/memory`),
    exportFailures: () => call(`${url}/export-failures`),
  };
}
