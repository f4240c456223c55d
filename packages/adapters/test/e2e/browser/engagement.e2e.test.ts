// A real browser (Debian's chromium via playwright-core) loads the guide's DashboardPage bundled by
// esbuild, served by a real Express app on loopback; the metrics it exports must show every click
// once and exactly one session, delivered by beacon when the tab closes.
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setupBusinessMetrics, type BusinessMetricsSetup } from '@bizmetrics/core';
import { parseExposition, sampleSum, waitUntil, type ExpositionSample } from '@bizmetrics/test-support';
import { build } from 'esbuild';
import express from 'express';
import { chromium, type Browser } from 'playwright-core';
import { defaultIngestPath } from '../../../src/shared/engagementEvent';
import { ingestHandler } from '../../../src/express/index';

jest.setTimeout(90_000);

const chromiumPath = '/usr/bin/chromium';
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

let bundleDir: string;
let bm: BusinessMetricsSetup;
let server: Server;
let baseUrl: string;
let browser: Browser;
/** What each POST to the ingest endpoint carried and got, seen from outside the real handler. */
interface IngestRequest {
  readonly contentType: string;
  readonly status: number;
}
const received: IngestRequest[] = [];

async function bundlePage(outdir: string): Promise<void> {
  await build({
    entryPoints: [path.join(__dirname, 'support/dashboardApp.tsx')],
    outfile: path.join(outdir, 'app.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    // React's development build: StrictMode double-runs effects only there.
    define: { 'process.env.NODE_ENV': '"development"' },
    alias: { '@bizmetrics/adapters/react': path.join(__dirname, '../../../src/react/index.ts') },
    logLevel: 'silent',
  });
}

async function startServer(): Promise<void> {
  bm = setupBusinessMetrics({ serviceName: 'bizmetrics-react-e2e' });
  const prometheus = bm.prometheus;
  if (prometheus === undefined) throw new Error('setupBusinessMetrics gave no Prometheus endpoint');
  const app = express();
  // Observe each ingest request (without touching its body) before the real handler reads it.
  app.post(defaultIngestPath, (request, response, next) => {
    response.on('finish', () => received.push({ contentType: request.get('content-type') ?? '', status: response.statusCode }));
    next();
  });
  app.post(defaultIngestPath, ingestHandler(bm, { features: ['dashboard_export'], milestones: ['first_chart_created'] }));
  app.get('/metrics', prometheus.handler);
  app.get('/', (_request, response) => {
    response.type('html').send('<!doctype html><html><body><div id="root"></div><script src="/app.js"></script></body></html>');
  });
  app.use(express.static(bundleDir));
  server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    listening.once('error', reject);
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function launchChromium(): Promise<Browser> {
  try {
    return await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true, timeout: 30_000 });
  } catch (error) {
    throw new Error(`chromium could not start from ${chromiumPath} (apt-get install -y chromium): ${String(error)}`, { cause: error });
  }
}

async function scrape(): Promise<ExpositionSample[]> {
  const response = await fetch(`${baseUrl}/metrics`);
  expect(response.status).toBe(200);
  return parseExposition(await response.text());
}

beforeAll(async () => {
  bundleDir = await mkdtemp(path.join(tmpdir(), 'bizmetrics-react-e2e-'));
  await bundlePage(bundleDir);
  await startServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await bm?.shutdown();
  if (bundleDir) await rm(bundleDir, { recursive: true, force: true });
});

test('clicks and the session end reach /metrics exactly once, the last ones by beacon on tab close', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${baseUrl}/`);
  const exportButton = page.getByRole('button', { name: 'Export Data' });
  await exportButton.waitFor();

  // Two clicks fill a batch: it leaves at once by keepalive fetch, as JSON.
  await exportButton.click();
  await exportButton.click();
  expect(await waitUntil(() => received.length === 1, { timeoutMs: 15_000, description: 'the first batch' })).toBe(true);
  expect(received[0]).toEqual({ contentType: expect.stringMatching(/^application\/json/), status: 202 });
  expect(sampleSum(await scrape(), 'business_feature_usage_total', {})).toBe(2);

  // A feature and a milestone fill the next batch.
  await exportButton.click();
  await page.getByRole('button', { name: 'Create Chart' }).click();
  expect(await waitUntil(() => received.length === 2, { timeoutMs: 15_000, description: 'the second batch' })).toBe(true);
  const afterSecondBatch = await scrape();
  expect(sampleSum(afterSecondBatch, 'business_feature_usage_total', {})).toBe(3);
  expect(sampleSum(afterSecondBatch, 'business_funnel_step_total', { step: 'milestone_first_chart_created' })).toBe(1);
  expect(sampleSum(afterSecondBatch, 'business_session_duration_seconds_count', {})).toBe(0);

  // A lone click stays queued: it must leave with the session end in the closing tab's beacon.
  await exportButton.click();
  await page.close({ runBeforeUnload: true });
  await context.close();

  const sessionSeen = await waitUntil(async () => sampleSum(await scrape(), 'business_session_duration_seconds_count', {}) >= 1, {
    timeoutMs: 15_000,
    description: 'the session end from the beacon',
  });
  expect(sessionSeen).toBe(true);
  // Anything sent twice would arrive about as fast as the original: give it a moment before counting.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const exposition = await scrape();

  expect(pageErrors).toEqual([]);
  expect(sampleSum(exposition, 'business_feature_usage_total', { feature_name: 'dashboard_export', user_tier: 'pro', is_new_user: 'false' })).toBe(4);
  expect(sampleSum(exposition, 'business_feature_usage_total', {})).toBe(4);
  expect(sampleSum(exposition, 'business_funnel_step_total', { step: 'milestone_first_chart_created' })).toBe(1);
  expect(sampleSum(exposition, 'business_session_duration_seconds_count', { user_tier: 'pro', entry_page: '/dashboard' })).toBe(1);
  expect(sampleSum(exposition, 'business_session_duration_seconds_count', {})).toBe(1);
  const seconds = sampleSum(exposition, 'business_session_duration_seconds_sum', {});
  expect(seconds).toBeGreaterThan(0);
  expect(seconds).toBeLessThan(90);

  // Three requests in all, every one accepted; the last is the closing tab's text/plain beacon.
  expect(received).toHaveLength(3);
  expect(received.map((request) => request.status)).toEqual([202, 202, 202]);
  expect(received[2]?.contentType).toMatch(/^text\/plain/);
});
