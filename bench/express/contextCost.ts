// Nanoseconds per call of each piece of bizmetricsMiddleware's per-request path, in-process, so a
// change to one of them can be measured without sockets (far less noisy than the end-to-end bench).
//
//   tsx --tsconfig bench/express/tsconfig.json bench/express/contextCost.ts
//   ONLY=SessionContextResolver node --cpu-prof --import tsx bench/express/contextCost.ts   (profile one piece)
import { firstComeAdmission, setupBusinessMetrics } from '@bizmetrics/core';
import type { Request, Response } from 'express';
import { DeviceClassifier } from '../../packages/adapters/src/express/context/deviceType';
import { SessionContextResolver } from '../../packages/adapters/src/express/context/sessionContext';
import { decodeSessionCookie, readCookie } from '../../packages/adapters/src/express/context/sessionCookie';
import { RouteLabeler } from '../../packages/adapters/src/express/technical/routeLabel';
import { AdapterTelemetry } from '../../packages/adapters/src/express/telemetry/adapterTelemetry';
import { mobileUserAgent as userAgent } from './requestFixture';

const cookieHeader = `bizmetrics_session=${Date.now()}.newsletter; theme=dark`;
const iterations = 500_000;

const only = process.env['ONLY'];

function time(name: string, body: (i: number) => unknown): void {
  if (only !== undefined && !name.startsWith(only)) return;
  let sink: unknown;
  for (let i = 0; i < iterations / 10; i++) sink = body(i);
  const samples: number[] = [];
  for (let round = 0; round < 5; round++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) sink = body(i);
    samples.push(Number(process.hrtime.bigint() - started) / iterations);
  }
  samples.sort((a, b) => a - b);
  process.stdout.write(`${name.padEnd(48)} ${(samples[2] as number).toFixed(0).padStart(6)} ns/call (min ${(samples[0] as number).toFixed(0)}, max ${(samples[4] as number).toFixed(0)})${sink === Symbol.for('x') ? '!' : ''}\n`);
}

const bm = setupBusinessMetrics({ serviceName: 'context-cost' });
const telemetry = new AdapterTelemetry(bm);
const resolver = new SessionContextResolver({}, telemetry);
const devices = new DeviceClassifier();
const routes = new RouteLabeler(firstComeAdmission(500));
const userAgents = Array.from({ length: 50 }, (_, i) => `${userAgent} app/${i}`);
const req = { method: 'GET', url: '/products/7', originalUrl: '/products/7', baseUrl: '', route: { path: '/products/:id' }, headers: { host: '127.0.0.1:3000', 'user-agent': userAgent, referer: 'http://127.0.0.1:3000/products', cookie: cookieHeader } } as unknown as Request;
const res = { headersSent: false, appendHeader: () => res } as unknown as Response;

time('SessionContextResolver.resolve (one UA)', () => resolver.resolve(req, res));
// The middleware's case for a request without attribution: the connection's last context is reused when the headers repeat.
const onConnection = { ...req, socket: {} } as unknown as Request;
time('SessionContextResolver.resolve (repeat on one connection)', () => resolver.resolve(onConnection, res, undefined, false));
time('DeviceClassifier.classify (one UA)', () => devices.classify(userAgent));
time('DeviceClassifier.classify (50 UAs in turn)', (i) => devices.classify(userAgents[i % 50]));
time('readCookie(session)', () => readCookie(cookieHeader, 'bizmetrics_session'));
time('decodeSessionCookie', () => decodeSessionCookie(readCookie(cookieHeader, 'bizmetrics_session'), Date.now(), 86_400_000));
time('RouteLabeler.label', () => routes.label(req));
time('HttpServerDuration.record', (i) => telemetry.httpServerDuration.record((i % 100) / 1000, 'GET', '/products/:id', 200));
void bm.shutdown();
