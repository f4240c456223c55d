// A seeded, structure-aware fuzzer of the ingest endpoint, shared by its test (a few thousand
// requests) and bench/ingest (100,000): valid-looking batches with hostile fields, broken
// encodings, huge and deeply nested JSON, wrong content types and slow bodies, sent over real
// loopback connections to a real Express app.
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setupBusinessMetrics } from '@bizmetrics/core';
import { parseExposition, sampleValues } from '@bizmetrics/test-support';
import fc from 'fast-check';
import { ingestHandler } from '../../../src/express/index';

/** One request the fuzzer sends. */
export interface FuzzRequest {
  readonly contentType: string | undefined;
  readonly body: Buffer;
  /** Sent in this many pieces, `pauseMs` apart (1: at once). */
  readonly pieces: number;
  readonly pauseMs: number;
}

const validTypes = ['feature_usage', 'milestone', 'session_end', 'funnel_step'] as const;
const hostileString = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\ud800', '\uffff', '<script>alert(1)</script>', '../../etc/passwd', '${jndi:ldap://x}', "' OR 1=1 --", 'alice@example.com', '4111 1111 1111 1111', '/'.repeat(3000)),
  fc.integer({ min: 1000, max: 20_000 }).map((n) => 'a'.repeat(n)),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(null, true, false, 0, -0, -1, 1e308, -1e308, 2 ** 53 + 1, 0.1, Number.MAX_SAFE_INTEGER),
  fc.anything({ maxDepth: 3, maxKeys: 5 }),
  fc.constantFrom({ __proto__: { admin: true } }, { constructor: { prototype: { x: 1 } } }, [], {}),
);

function validEvent(type: (typeof validTypes)[number], now: number): Record<string, unknown> {
  switch (type) {
    case 'feature_usage':
      return { type, feature: 'dashboard_export', userTier: 'pro', isNewUser: false, at: now };
    case 'milestone':
      return { type, milestone: 'first_order', at: now };
    case 'session_end':
      return { type, durationSeconds: 42, userTier: 'free', entryPage: '/products/1', at: now };
    default:
      return { type, step: 'cart_view', at: now };
  }
}

/** A valid event, or one with a field replaced, removed or added by something hostile. */
function event(now: number): fc.Arbitrary<unknown> {
  return fc
    .tuple(fc.constantFrom(...validTypes), fc.nat({ max: 9 }), fc.constantFrom('type', 'feature', 'milestone', 'userTier', 'isNewUser', 'at', 'durationSeconds', 'entryPage', 'step', 'userId', '__proto__'), hostileValue)
    .map(([type, mutation, field, value]) => {
      const base = validEvent(type, now);
      // Half the events stay valid, so batches are accepted and totals move.
      if (mutation < 5) return base;
      if (mutation < 8) return { ...base, [field]: value };
      if (mutation < 9) {
        const { [field]: _dropped, ...rest } = base;
        return rest;
      }
      return value;
    });
}

function nested(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

/** The body as bytes: JSON of a batch, or broken on purpose. */
function bodyOf(now: number): fc.Arbitrary<Buffer> {
  const batch = fc.array(event(now), { minLength: 0, maxLength: 60 }).map((events) => ({ events }));
  return fc.oneof(
    { weight: 6, arbitrary: batch.map((value) => Buffer.from(JSON.stringify(value))) },
    { weight: 1, arbitrary: fc.tuple(batch, hostileValue, fc.string({ maxLength: 10 })).map(([value, extra, key]) => Buffer.from(JSON.stringify({ ...value, [key]: extra }))) },
    { weight: 1, arbitrary: fc.tuple(batch, fc.nat()).map(([value, cut]) => { const text = JSON.stringify(value); return Buffer.from(text.slice(0, cut % (text.length + 1))); }) },
    { weight: 1, arbitrary: fc.tuple(batch, fc.uint8Array({ minLength: 1, maxLength: 16 })).map(([value, bytes]) => Buffer.concat([Buffer.from(JSON.stringify(value).slice(0, 30)), Buffer.from([0xff, 0xfe, ...bytes]), Buffer.from('"}]}')])) },
    { weight: 1, arbitrary: batch.map((value) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(value))])) },
    { weight: 1, arbitrary: batch.map((value) => Buffer.from(JSON.stringify(value), 'utf16le')) },
    { weight: 1, arbitrary: fc.integer({ min: 100, max: 9000 }).map((depth) => Buffer.from(`{"events":${nested(depth)}}`)) },
    { weight: 1, arbitrary: fc.integer({ min: 17_000, max: 200_000 }).map((size) => Buffer.from(`{"events":[${'1,'.repeat(size / 2)}1]}`)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes)) },
  );
}

/** The fuzzer's requests; `slowMs`: how long the slowest bodies take to arrive in total. */
export function fuzzRequest(now: number, slowMs: number): fc.Arbitrary<FuzzRequest> {
  return fc
    .tuple(
      fc.oneof(
        { weight: 8, arbitrary: fc.constant('application/json') },
        { weight: 2, arbitrary: fc.constantFrom('text/plain', 'application/json; charset=utf-8', 'text/plain;charset=UTF-8') },
        { weight: 1, arbitrary: fc.constantFrom(undefined, 'application/json; charset=latin1', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/json; charset="utf-16"', 'application/json;;;charset') },
      ),
      bodyOf(now),
      // Most requests arrive at once; some in pieces; a few slower than the body timeout.
      fc.oneof({ weight: 95, arbitrary: fc.constant<[number, number]>([1, 0]) }, { weight: 4, arbitrary: fc.constant<[number, number]>([3, 20]) }, { weight: 1, arbitrary: fc.constant<[number, number]>([4, slowMs / 3]) }),
    )
    .map(([contentType, body, [pieces, pauseMs]]) => ({ contentType, body, pieces, pauseMs }));
}

/** What a fuzzing run saw. */
export interface FuzzReport {
  readonly requests: number;
  readonly statuses: ReadonlyMap<number, number>;
  /** Events the endpoint said it accepted (sum of 202 answers). */
  readonly acceptedEvents: number;
  /** Events the business metrics counted (feature uses + funnel steps + session ends). */
  readonly recordedEvents: number;
  /**
   * Requests whose connection the server closed before answering, among those it may close early
   * (bodies over the size limit, bodies slower than the timeout: it answers 413/408 and closes
   * while the client still writes, and the client can see the reset before the answer).
   */
  readonly closedEarly: number;
  /** The same for any other request: none expected. */
  readonly clientErrors: number;
  /** A valid batch sent after the fuzzing was accepted. */
  readonly aliveAfter: boolean;
  readonly elapsedMs: number;
  /** Largest resident set size sampled during the run (bytes), and at the start. */
  readonly maxRssBytes: number;
  readonly startRssBytes: number;
}

/** Options of `runIngestFuzzer`. */
export interface FuzzOptions {
  readonly requests: number;
  readonly seed: number;
  /** Requests in flight at once. @default 16 */
  readonly concurrency?: number;
  /** The endpoint's body timeout; slow fuzz bodies take 1.3 × this. @default 300 */
  readonly bodyTimeoutMs?: number;
}

/** The last client-side error, for the report. */
export const clientErrorSamples: string[] = [];

function send(agent: Agent, port: number, spec: FuzzRequest): Promise<{ status: number; accepted: number } | undefined> {
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = { 'content-length': spec.body.length };
    if (spec.contentType !== undefined) headers['content-type'] = spec.contentType;
    let req;
    try {
      req = request({ host: '127.0.0.1', port, path: '/bizmetrics/events', method: 'POST', headers, agent });
    } catch {
      resolve(undefined);
      return;
    }
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        let accepted = 0;
        if (res.statusCode === 202) accepted = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { accepted: number }).accepted;
        resolve({ status: res.statusCode ?? 0, accepted });
      });
      res.on('error', () => resolve(undefined));
    });
    req.on('error', (error) => {
      if (clientErrorSamples.length < 10) clientErrorSamples.push(`${(error as NodeJS.ErrnoException).code ?? error.message} ct=${String(spec.contentType)} len=${spec.body.length} head=${JSON.stringify(spec.body.subarray(0, 60).toString('latin1'))}`);
      resolve(undefined);
    });
    if (spec.pieces <= 1) {
      req.end(spec.body);
      return;
    }
    const size = Math.ceil(spec.body.length / spec.pieces);
    let piece = 0;
    const next = (): void => {
      if (req.destroyed) return;
      const chunk = spec.body.subarray(piece * size, (piece + 1) * size);
      piece++;
      if (piece >= spec.pieces) req.end(chunk);
      else {
        req.write(chunk);
        setTimeout(next, spec.pauseMs);
      }
    };
    next();
  });
}

/**
 * Starts a real Express app with the ingest endpoint on loopback, sends `requests` fuzzed requests
 * (`concurrency` at a time, keep-alive), then one valid batch, and reports what it saw.
 */
export async function runIngestFuzzer(express: () => import('express').Express, options: FuzzOptions): Promise<FuzzReport> {
  const bodyTimeoutMs = options.bodyTimeoutMs ?? 300;
  const bm = setupBusinessMetrics({ serviceName: 'ingest-fuzzer' });
  const app = express();
  app.post('/bizmetrics/events', ingestHandler(bm, { rateLimit: false, bodyTimeoutMs }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const port = (server.address() as AddressInfo).port;
  const concurrency = options.concurrency ?? 16;
  const agents = Array.from({ length: concurrency }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
  const statuses = new Map<number, number>();
  let acceptedEvents = 0;
  let clientErrors = 0;
  let closedEarly = 0;
  const startRssBytes = process.memoryUsage().rss;
  let maxRssBytes = startRssBytes;
  const started = performance.now();
  const batchSize = 500;
  try {
    for (let offset = 0; offset < options.requests; offset += batchSize) {
      const count = Math.min(batchSize, options.requests - offset);
      // Generated a slice at a time (seed + slice index): memory does not grow with the request count.
      const specs = sampleValues(fuzzRequest(Date.now(), bodyTimeoutMs * 1.3), count, options.seed + offset);
      let index = 0;
      await Promise.all(
        agents.map(async (agent) => {
          while (index < specs.length) {
            const spec = specs[index++] as FuzzRequest;
            const result = await send(agent, port, spec);
            if (result === undefined) {
              if (spec.body.length > 16_384 || spec.pieces > 3) closedEarly++;
              else clientErrors++;
            }
            else {
              statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
              acceptedEvents += result.accepted;
            }
          }
        }),
      );
      maxRssBytes = Math.max(maxRssBytes, process.memoryUsage().rss);
    }
    const elapsedMs = performance.now() - started;
    const valid = Buffer.from(JSON.stringify({ events: [validEvent('funnel_step', Date.now())] }));
    const last = await send(agents[0] as Agent, port, { contentType: 'application/json', body: valid, pieces: 1, pauseMs: 0 });
    if (last?.status === 202) acceptedEvents += last.accepted;
    const samples = parseExposition(await bm.getMetrics());
    const recordedEvents = samples
      .filter((sample) => sample.name === 'business_feature_usage_total' || sample.name === 'business_funnel_step_total' || sample.name === 'business_session_duration_seconds_count')
      .reduce((total, sample) => total + sample.value, 0);
    return { requests: options.requests, statuses, acceptedEvents, recordedEvents, closedEarly, clientErrors, aliveAfter: last?.status === 202, elapsedMs, maxRssBytes, startRssBytes };
  } finally {
    for (const agent of agents) agent.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await bm.shutdown();
  }
}
