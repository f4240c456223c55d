// The scripts a consumer project runs: an Express app on the packed adapters (ESM) and the core
// through require() (CommonJS). Each prints one JSON line that the tests read.

/** ESM: the Express adapter end to end (middleware, zod-checked ingest, scrape handler) on a loopback port. */
export const expressAppEsm = `
import express from 'express';
import { setupBusinessMetrics } from '@bizmetrics/core';
import { bizmetricsMiddleware, ingestHandler, metricsHandler } from '@bizmetrics/adapters/express';

const bm = setupBusinessMetrics({ serviceName: 'consumer' });
const app = express();
app.use(bizmetricsMiddleware(bm));
app.post('/bizmetrics/events', ingestHandler(bm));
app.get('/metrics', metricsHandler(bm));
app.get('/api/cart', (req, res) => {
  req.bizmetrics?.trackCartView();
  res.json({ ok: true });
});
const post = (url, body) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const server = app.listen(0, '127.0.0.1', async () => {
  const base = 'http://127.0.0.1:' + server.address().port;
  const cart = await fetch(base + '/api/cart?utm_source=newsletter');
  const ingest = await post(base + '/bizmetrics/events', { events: [{ type: 'feature_usage', feature: 'search', userTier: 'free', isNewUser: true, at: Date.now() }] });
  const refused = await post(base + '/bizmetrics/events', { events: [{ type: 'revenue', cents: 100, at: Date.now() }] });
  const lines = (await (await fetch(base + '/metrics')).text()).split('\\n');
  const has = (prefix, ...parts) => lines.some((line) => line.startsWith(prefix) && parts.every((part) => line.includes(part)));
  console.log(JSON.stringify({
    cart: cart.status,
    ingest: ingest.status,
    refused: refused.status,
    funnelStep: has('business_funnel_step_total{', 'step="cart_view"', 'source="newsletter"'),
    featureUsage: has('business_feature_usage_total{', 'feature_name="search"'),
    httpDuration: has('http_server_request_duration_seconds_bucket{', 'http_route="/api/cart"') || has('http_server_request_duration_bucket{', 'http_route="/api/cart"'),
  }));
  server.close();
  await bm.shutdown();
});
`;

/** CommonJS: require() of every entry, a recording and a scrape. */
export const requireAllCjs = `
const core = require('@bizmetrics/core');
const expressAdapter = require('@bizmetrics/adapters/express');
const reactAdapter = require('@bizmetrics/adapters/react');
const cli = require('@bizmetrics/cli');
const bm = core.setupBusinessMetrics({ serviceName: 'consumer-cjs' });
bm.service.recordFunnelStep('cart_view', { source: 'direct', deviceType: 'desktop' });
bm.getMetrics().then(async (text) => {
  console.log(JSON.stringify({
    node: process.versions.node,
    funnelStep: text.includes('business_funnel_step_total{'),
    express: typeof expressAdapter.bizmetricsMiddleware,
    react: typeof reactAdapter.BusinessMetricsProvider,
    cli: Object.keys(cli).length > 0,
  }));
  await bm.shutdown();
});
`;

/** ESM: import of every entry, a recording and a scrape. */
export const importAllEsm = `
import { setupBusinessMetrics } from '@bizmetrics/core';
import { bizmetricsMiddleware } from '@bizmetrics/adapters/express';
import { BusinessMetricsProvider } from '@bizmetrics/adapters/react';
import * as cli from '@bizmetrics/cli';
const bm = setupBusinessMetrics({ serviceName: 'consumer-esm' });
bm.service.recordFunnelStep('cart_view', { source: 'direct', deviceType: 'desktop' });
const text = await bm.getMetrics();
console.log(JSON.stringify({
  node: process.versions.node,
  funnelStep: text.includes('business_funnel_step_total{'),
  express: typeof bizmetricsMiddleware,
  react: typeof BusinessMetricsProvider,
  cli: Object.keys(cli).length > 0,
}));
await bm.shutdown();
`;

/** Reads the last JSON line a script printed. */
export function lastJsonLine(stdout: string): Record<string, unknown> {
  const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).at(-1);
  if (line === undefined) throw new Error(`the script printed no JSON line:\n${stdout}`);
  return JSON.parse(line) as Record<string, unknown>;
}
