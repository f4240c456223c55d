import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { setupBusinessMetrics, type BusinessMetricsSetup } from '@bizmetrics/core';
import { FakePaymentProcessor } from '../../src/server/paymentProcessor';
import { startShop, type RunningShop } from '../../src/server/startShop';

/** A real shop on a free loopback port, with its own metrics runtime. */
export interface ShopUnderTest extends RunningShop {
  readonly metrics: BusinessMetricsSetup;
  stop(): Promise<void>;
}

/** Builds the shop with esbuild into `dist/tests/<name>` (each test its own directory); returns that directory. */
export function buildShop(name: string): string {
  const shopDir = path.join(__dirname, '../..');
  // Under dist/ (git- and lint-ignored), not under a dot-directory: express.static and res.sendFile
  // refuse paths with dot segments.
  const outdir = path.join(shopDir, 'dist', 'tests', name);
  execFileSync(process.execPath, [path.join(shopDir, 'build.mjs'), '--quiet', `--outdir=${outdir}`], { cwd: shopDir, stdio: 'inherit' });
  return outdir;
}

export async function startTestShop(options: { publicDir?: string; funnelSessionTimeoutMs?: number } = {}): Promise<ShopUnderTest> {
  const metrics = setupBusinessMetrics({ serviceName: 'example-shop-test' });
  const shop = await startShop({
    metrics,
    port: 0,
    payments: new FakePaymentProcessor(() => 1),
    logError: () => undefined,
    trustProxy: 'loopback', // the traffic generator's X-Forwarded-For tells its shoppers apart
    ...(options.publicDir !== undefined ? { publicDir: options.publicDir } : {}),
    ...(options.funnelSessionTimeoutMs !== undefined ? { funnelSessionTimeoutMs: options.funnelSessionTimeoutMs } : {}),
  });
  return {
    ...shop,
    metrics,
    async stop() {
      await shop.close();
      await metrics.shutdown();
    },
  };
}

/** A tiny HTTP client with one cookie jar: one shopper. */
export function shopper(baseUrl: string): (method: string, path: string, body?: unknown, raw?: string) => Promise<{ status: number; body: Record<string, unknown> }> {
  const cookies = new Map<string, string>();
  return async (method, urlPath, body, raw) => {
    const headers: Record<string, string> = {};
    if (cookies.size > 0) headers['Cookie'] = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (body !== undefined || raw !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(`${baseUrl}${urlPath}`, { method, headers, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
    for (const header of response.headers.getSetCookie()) {
      const [pair = ''] = header.split(';');
      const eq = pair.indexOf('=');
      cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    const text = await response.text();
    return { status: response.status, body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : { text } };
  };
}
