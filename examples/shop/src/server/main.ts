// The shop as a process: `node dist/server.js [--port 3000] [--otlp-url http://127.0.0.1:4318/v1/metrics] [--funnel-timeout 1800]
//   [--redis-url redis://127.0.0.1:6379 --session-secret S --instance-id replica-1]` (a replica behind a load balancer).
// Prints one JSON line `{"event":"listening","url":...}` on stdout once it serves (the demo waits for it).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setupBusinessMetrics } from '@bizmetrics/core';
import { createRedisStores, type RedisStores } from '@bizmetrics/redis';
import { startShop } from './startShop';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    port: { type: 'string', default: process.env['PORT'] ?? '3000' },
    host: { type: 'string', default: '127.0.0.1' },
    'otlp-url': { type: 'string' },
    'export-interval': { type: 'string', default: '5000' },
    // Replicas behind a load balancer share the cookie-signing key, so any replica reads any session.
    'session-secret': { type: 'string', default: process.env['SHOP_SESSION_SECRET'] },
    // `service.instance.id` of this replica: series of different replicas must not collide.
    'instance-id': { type: 'string' },
    // Express's `trust proxy`: loopback by default, so a local load balancer's (or the traffic
    // generator's) X-Forwarded-For names the client the ingest endpoint rate-limits; `false` for none.
    'trust-proxy': { type: 'string', default: 'loopback' },
    // Seconds without a checkout step before a session counts as abandoned (the demo shortens it).
    'funnel-timeout': { type: 'string', default: '1800' },
    // Replicas: funnel sessions and active-user sketches in this Redis (shared by every replica).
    'redis-url': { type: 'string', default: process.env['REDIS_URL'] },
    // How often (ms) each replica sweeps idle funnel sessions and reads the active-user counts back.
    'redis-interval': { type: 'string', default: '5000' },
    // Stop when stdin closes: the demo holds the other end, so the shop cannot outlive it.
    'exit-with-parent': { type: 'boolean', default: false },
  },
});

const redisInterval = Number(values['redis-interval']);
let redis: RedisStores | undefined;
try {
  redis = values['redis-url']
    ? createRedisStores({ url: values['redis-url'], sweepIntervalMs: redisInterval, activeUsersRefreshMs: redisInterval })
    : undefined;
} catch (error) {
  console.error(`shop: --redis-url: ${(error as Error).message}`);
  process.exit(2);
}

const metrics = setupBusinessMetrics({
  serviceName: 'example-shop',
  serviceVersion: '0.1.0',
  environment: 'demo',
  ...(values['instance-id'] ? { serviceInstanceId: values['instance-id'] } : {}),
  // With Redis, every replica reports the global active-user count (aggregate with max, never sum).
  ...(redis !== undefined ? { activeUsers: { store: redis.activeUsersStore } } : {}),
  // /metrics on the shop is always there (the embedded path); OTLP to a collector only when asked (the stack path).
  ...(values['otlp-url'] ? { otlp: { url: values['otlp-url'], exportIntervalMillis: Number(values['export-interval']) } } : {}),
});

const funnelTimeoutSeconds = Number(values['funnel-timeout']);
if (!(funnelTimeoutSeconds > 0)) {
  console.error(`shop: --funnel-timeout must be a positive number of seconds, got ${JSON.stringify(values['funnel-timeout'])}`);
  process.exit(2);
}

const publicDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'public');
const shop = await startShop({
  metrics,
  publicDir,
  port: Number(values.port),
  host: values.host,
  ...(values['session-secret'] ? { sessionSecret: values['session-secret'] } : {}),
  trustProxy: values['trust-proxy'] === 'false' ? false : values['trust-proxy'],
  funnelSessionTimeoutMs: funnelTimeoutSeconds * 1000,
  // With Redis, the checkout funnel keeps its sessions there: once per session whichever replica answers.
  ...(redis !== undefined ? { funnel: metrics.funnels.checkout({ store: redis.funnelStore, sessionTimeoutMs: funnelTimeoutSeconds * 1000 }) } : {}),
}).catch((error: NodeJS.ErrnoException) => {
  console.error(`shop: cannot listen on ${values.host}:${values.port}: ${error.code ?? error.message}`);
  process.exit(1);
});
process.stdout.write(`${JSON.stringify({ event: 'listening', url: shop.url, pid: process.pid })}\n`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await shop.close().catch(() => undefined);
  await metrics.shutdown().catch(() => undefined); // pushes the last OTLP export
  await redis?.close().catch(() => undefined); // drains the buffered Redis commands (bounded wait)
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
if (values['exit-with-parent']) {
  process.stdin.on('end', () => void stop());
  process.stdin.on('close', () => void stop());
  process.stdin.resume();
}
