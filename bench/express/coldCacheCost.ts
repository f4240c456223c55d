// The middleware's per-request cost in-process, with warm caches and with the CPU caches and TLB
// flushed before every request (a sweep over --pollute-mb of memory). Under load a server runs
// Express, Node and the kernel between two passes through the middleware, so its code and data are
// partly cold; the warm figure is the floor, the cold one the ceiling of what a request pays.
//
//   tsx --tsconfig bench/express/tsconfig.json bench/express/coldCacheCost.ts [--pollute-mb 8] [--requests 3000]
import { Socket } from 'node:net';
import { setupBusinessMetrics } from '@bizmetrics/core';
import { bizmetricsMiddleware } from '@bizmetrics/adapters/express';
import { firstSeenCookie, fakeProductRequest, mobileUserAgent as userAgent } from './requestFixture';

const option = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
};
const requests = option('requests', 3000);
const junk = new Float64Array((option('pollute-mb', 8) * 1024 * 1024) / 8);

const bm = setupBusinessMetrics({ serviceName: 'cold-cache' });
const middleware = bizmetricsMiddleware(bm) as unknown as (req: object, res: object, next: () => void) => void;
const socket = new Socket();
let sink = 0;

/** Touches one double per 64-byte line of the sweep buffer. */
function pollute(): void {
  for (let i = 0; i < junk.length; i += 8) junk[i] = (junk[i] as number) + 1;
}

/** A copy with no cached hash, as header strings fresh from the parser are. */
function fresh(text: string): string {
  return ` ${text}`.slice(1);
}

type Mode = 'none' | 'technical only' | 'full';

/** Median µs from entering the middleware to the end of the response's 'close' handlers. */
function medianMicros(mode: Mode, cold: boolean): number {
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    const { req, res } = fakeProductRequest(socket, i, {
      host: '127.0.0.1:3000',
      'user-agent': fresh(userAgent),
      referer: fresh('http://127.0.0.1:3000/products'),
      cookie: fresh(`${firstSeenCookie(Date.now())}; theme=dark`),
    });
    const routed = (): void => {
      req['route'] = { path: '/products/:id' };
      if (mode !== 'full') return;
      const context = (req as { bizmetrics?: { context: { source: string; deviceType: string; experimentVariant: string; region: string } } }).bizmetrics?.context;
      if (context !== undefined) sink += context.source.length + context.deviceType.length + context.experimentVariant.length + context.region.length;
    };
    if (cold) pollute();
    const started = performance.now();
    if (mode === 'none') routed();
    else middleware(req, res, routed);
    res.statusCode = 200;
    res.emit('close');
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return (times[Math.floor(times.length / 2)] as number) * 1000;
}

const modes: readonly Mode[] = ['none', 'technical only', 'full'];
for (const cold of [false, true]) {
  for (const mode of modes) medianMicros(mode, cold); // warm-up: JIT
  const [none, technical, full] = modes.map((mode) => medianMicros(mode, cold)) as [number, number, number];
  process.stdout.write(
    `${cold ? `cold (${junk.length * 8 / 2 ** 20} MiB swept before each request)` : 'warm'}: median µs per request without middleware ${none.toFixed(2)}; ` +
      `added by bizmetrics: technical metrics only ${(technical - none).toFixed(2)}, full (context read) ${(full - none).toFixed(2)}${sink > 0 ? '' : ' (no context read!)'}\n`,
  );
}
void bm.shutdown();
socket.destroy();
