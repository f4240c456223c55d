// Throughput of one Express app three ways, measured in one run: bare, with bizmetricsMiddleware
// (session context derived on every request + http.server.request.duration), and with
// express-prom-bundle (method/path/status histogram). Each variant's server runs in its own child
// process; autocannon loads one at a time, in alternating rounds; medians and ratios are reported.
//
//   tsx --tsconfig bench/express/tsconfig.json bench/express/middlewareThroughput.ts [--rounds 5] [--seconds 5] [--warmup 2] [--pin] [--write]
//   tsx --tsconfig bench/express/tsconfig.json bench/express/middlewareThroughput.ts --paired --variants bizmetrics,prom-bundle [--rounds 10] [--write]
//
// Every round starts fresh server processes (`--restart-every N` to keep them N rounds): a process's
// JIT state biases its throughput for its whole life. `--pin` puts the servers on CPU 1 and
// autocannon on CPU 0. `--paired` runs each variant next to a bare server on one core under
// simultaneous load (see pairedMain), the least noisy ratio on a shared machine.
//
// `--variants setup-only,empty-middleware,...` runs bare plus a subset and prints paired ratios only
// (for bisecting a cost; nothing is written). Two variants exist only for that: `setup-only`
// (setupBusinessMetrics loaded, no middleware) and `probe`, a middleware doing what
// bizmetricsMiddleware does to req/res and nothing else, chosen by BENCH_PROBE=props,symbol,listener;
// adding `clock,attr,record` makes it do the technical metric's work too, inline in one closure.
//
// `--app shop [--shop-mix cart]` loads the example shop's API instead of the one-route app (shopApp.ts);
// there `bizmetrics` runs with the shop's own options and `bizmetrics-defaults` with the adapter's.
//
// Deps (resolved from packages/adapters, where they are devDependencies): express, autocannon,
// express-prom-bundle, prom-client. The tsconfig maps @bizmetrics/* to the sources.
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { RequestHandler } from 'express';
import type { ExpressModule } from './shopApp';
import { firstSeenCookie, fakeProductRequest, mobileUserAgent as userAgent } from './requestFixture';

const scriptPath = path.resolve(process.argv[1] as string);
const repoRoot = path.resolve(path.dirname(scriptPath), '../..');
const requireFromAdapters = createRequire(path.join(repoRoot, 'packages/adapters/package.json'));

type Variant = 'bare' | 'bizmetrics' | 'prom-bundle' | 'empty-middleware' | 'bizmetrics-lazy' | 'bizmetrics-context-only' | 'bizmetrics-defaults' | 'setup-only' | 'probe';
// The first three are the comparison asked for; the others split bizmetrics' cost into its parts
// (an empty middleware is the floor any middleware pays for one more router layer).
const allVariants: readonly Variant[] = ['bare', 'bizmetrics', 'prom-bundle', 'empty-middleware', 'bizmetrics-lazy', 'bizmetrics-context-only', 'bizmetrics-defaults', 'setup-only', 'probe'];
// `--variants bare,bizmetrics,...` runs a subset (bare is always included: ratios are paired with it).
const variantsArgument = process.argv.indexOf('--variants');
const variants: readonly Variant[] =
  variantsArgument === -1
    ? allVariants.filter((variant) => variant !== 'setup-only' && variant !== 'probe' && variant !== 'bizmetrics-defaults')
    : allVariants.filter((variant) => variant === 'bare' || (process.argv[variantsArgument + 1] ?? '').split(',').includes(variant));
const variantLabels: Readonly<Record<Variant, string>> = {
  bare: 'bare Express',
  bizmetrics: 'bizmetricsMiddleware, full (context derived + technical metrics)',
  'prom-bundle': 'express-prom-bundle (method, path, status histogram)',
  'empty-middleware': 'an empty middleware (`(req, res, next) => next()`), for reference',
  'bizmetrics-lazy': 'bizmetricsMiddleware, context not used by the handler (technical metrics only)',
  'bizmetrics-context-only': 'bizmetricsMiddleware, context derived, technicalMetrics: false',
  'bizmetrics-defaults': 'bizmetricsMiddleware with default options (no context callbacks; the shop app only)',
  'setup-only': 'setupBusinessMetrics() in the process, no middleware',
  probe: 'probe (BENCH_PROBE)',
};


// `--app shop`: the example shop's API (session cookie, body parser, catalogue and cart routes, its own
// middleware options) instead of one bare JSON route; see shopApp.ts.
const appKind: 'minimal' | 'shop' = textArgument('app') === 'shop' ? 'shop' : 'minimal';
// `--shop-mix cart`: every request opens the cart (default `browse`: product pages and the cart in turn).
const shopMix: 'browse' | 'cart' = textArgument('shop-mix') === 'cart' ? 'cart' : 'browse';

function textArgument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}

// ---------------------------------------------------------------- server side (child process)

let labelSink = 0;

async function serve(variant: Variant): Promise<void> {
  const express = requireFromAdapters('express') as ExpressModule;
  const app = express();
  const shop = appKind === 'shop' ? await import('./shopApp') : undefined;
  // The minimal app answers without an ETag (no hashing of the body); the shop keeps Express's defaults.
  if (shop === undefined) app.set('etag', false);
  else shop.mountSession(app);
  const useContext = variant === 'bizmetrics' || variant === 'bizmetrics-context-only';
  if (variant.startsWith('bizmetrics')) {
    const { setupBusinessMetrics } = await import('@bizmetrics/core');
    const { bizmetricsMiddleware } = await import('@bizmetrics/adapters/express');
    const bm = setupBusinessMetrics({ serviceName: 'bench' });
    const shopOptions = shop !== undefined && variant !== 'bizmetrics-defaults' ? shop.shopMiddlewareOptions() : undefined;
    app.use(bizmetricsMiddleware(bm, shopOptions ?? { technicalMetrics: variant !== 'bizmetrics-context-only' }));
  } else if (variant === 'probe') {
    const mode = process.env['BENCH_PROBE'] ?? '';
    const key = Symbol('probe');
    // `clock`, `attr`, `record`: the technical metric's work done inline, in one closure and one array.
    const boundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
    const counts = boundaries.map(() => 0).concat([0]);
    const onClose = function (this: object): void {
      const tracker = (this as Record<symbol, { at: number } | undefined>)[key];
      (this as Record<symbol, unknown>)[key] = undefined;
      if (tracker === undefined || !mode.includes('clock')) return;
      const seconds = (performance.now() - tracker.at) / 1000;
      if (!mode.includes('record')) return;
      let bucket = 0;
      while (bucket < boundaries.length && seconds > (boundaries[bucket] as number)) bucket++;
      counts[bucket] = (counts[bucket] as number) + 1;
    };
    app.use((req, res, next) => {
      const tracker = { req, res, at: mode.includes('clock') ? performance.now() : 0, attributed: false };
      if (mode.includes('attr')) {
        const url = req.originalUrl ?? req.url;
        const referer = req.headers.referer;
        tracker.attributed = url.includes('utm_source=') || (referer !== undefined && !referer.includes(req.headers.host ?? ''));
      }
      if (mode.includes('props')) {
        (req as unknown as Record<string, unknown>)['bizmetrics'] = tracker;
        (res.locals as Record<string, unknown>)['bizmetrics'] = tracker;
      }
      if (mode.includes('symbol')) (res as unknown as Record<symbol, unknown>)[key] = tracker;
      if (mode.includes('listener')) res.on('close', onClose);
      next();
    });
  } else if (variant === 'setup-only') {
    const { setupBusinessMetrics } = await import('@bizmetrics/core');
    await import('@bizmetrics/adapters/express');
    setupBusinessMetrics({ serviceName: 'bench' });
  } else if (variant === 'empty-middleware') {
    app.use((_req, _res, next) => next());
  } else if (variant === 'prom-bundle') {
    const promBundle = requireFromAdapters('express-prom-bundle') as (options: object) => RequestHandler;
    app.use(promBundle({ includeMethod: true, includePath: true, includeStatusCode: true, autoregister: false }));
  }
  if (shop !== undefined) shop.mountShopApi(app, express);
  else app.get('/products/:id', (req, res) => {
    // "Full" path for bizmetrics: the session context is derived and every label a funnel step or
    // conversion takes is read (source, device type, variant, region), as a checkout handler would.
    // The response is the same size in every variant; the labels go to a sink the JIT cannot drop.
    const context = useContext ? req.bizmetrics?.context : undefined;
    if (context !== undefined) labelSink = context.source.length + context.deviceType.length + context.experimentVariant.length + context.region.length;
    res.json({ id: req.params.id, name: 'Widget', priceCents: 4999, labels: labelSink > 0 });
  });
  const server = app.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.send?.({ port: typeof address === 'object' && address !== null ? address.port : 0 });
  });
  server.keepAliveTimeout = 30_000;
  // CPU time of this server process: per-request cost that other jobs on the machine distort far less than req/s.
  process.on('message', (message: string) => {
    if (message === 'cpu') {
      const usage = process.cpuUsage();
      process.send?.({ cpuMicros: usage.user + usage.system });
    }
  });
  process.on('SIGTERM', () => process.exit(0));
}

// ---------------------------------------------------------------- load side (parent process)

interface RoundResult {
  readonly variant: Variant;
  readonly round: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly non2xx: number;
  readonly cpuMicrosPerRequest: number;
}

function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (message: { cpuMicros?: number }): void => {
      if (message.cpuMicros === undefined) return;
      child.off('message', onMessage);
      resolve(message.cpuMicros);
    };
    child.on('message', onMessage);
    child.send('cpu');
  });
}

function startServer(variant: Variant, cpu?: number): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    // `--pin`: servers on CPU 1, this process (autocannon) on CPU 0, so neither migrates onto the other's core.
    const core = cpu ?? (process.argv.includes('--pin') ? 1 : undefined);
    const child = fork(scriptPath, ['--serve', variant, '--app', appKind], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      ...(core === undefined ? {} : { execPath: 'taskset', execArgv: ['-c', String(core), process.execPath, ...process.execArgv] }),
    });
    child.once('message', (message: { port: number }) => resolve({ child, port: message.port }));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${variant} server exited with ${String(code)}`)));
  });
}

function appDescription(): string {
  const express = `Express ${(requireFromAdapters('express/package.json') as { version: string }).version}`;
  return appKind === 'shop'
    ? `${express}, the example shop's API (cookie-session, express.json, catalogue and cart routes from examples/shop, bizmetrics with the shop's own options: context callbacks reading the session, checkout routes), ETags on; a returning shopper with two items in the cart ${shopMix === 'cart' ? 'opening the cart, `GET /api/cart` (a `cart_view` step), on every request (`--shop-mix cart`)' : 'alternating `GET /api/products/:id` (a `product_view` step) and `GET /api/cart` (a `cart_view` step)'}, mobile User-Agent, same-site Referer.`
    : `${express}, one \`GET /products/:id\` JSON route, 1,000 distinct ids, mobile User-Agent, same-site Referer and a session cookie on every request.`;
}

// The shop's signed session cookie (`--app shop`), made once by the parent before any round.
let shopperCookie: string | undefined;
let shopperPath: (index: number) => string = () => '/';

async function prepareApp(): Promise<void> {
  if (appKind !== 'shop') return;
  const shop = await import('./shopApp');
  shopperCookie = await shop.returningShopperCookie(requireFromAdapters('express') as ExpressModule);
  shopperPath = (index) => shop.shopperPath(index, shopMix);
}

async function load(port: number, seconds: number): Promise<{ requestsPerSecond: number; p50Ms: number; p99Ms: number; errors: number; non2xx: number; total: number }> {
  const autocannon = requireFromAdapters('autocannon') as typeof import('autocannon');
  let counter = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: 32,
    duration: seconds,
    // A returning browser: first-seen session cookie, same-site Referer, a mobile User-Agent.
    headers: {
      'user-agent': userAgent,
      referer: `http://127.0.0.1:${port}/products`,
      cookie: `${firstSeenCookie(Date.now())}; theme=dark${shopperCookie === undefined ? '' : `; ${shopperCookie}`}`,
    },
    requests: [
      {
        method: 'GET',
        // Minimal app: 1,000 distinct product ids (route templating has to work, caches see variety).
        setupRequest: (request) => ({ ...request, path: appKind === 'shop' ? shopperPath(counter++) : `/products/${(counter++ % 1000) + 1}` }),
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
  };
}

/**
 * The middleware's own CPU per request, without sockets or Express routing: far less noisy on a
 * shared machine than end-to-end numbers. Each iteration builds a real IncomingMessage and
 * ServerResponse, runs the middleware, sets the route as Express would, optionally derives the
 * context, and emits 'close'. The same loop without the middleware is subtracted.
 */
async function measureInProcess(): Promise<{ iterations: number; lazyMicros: number; fullMicros: number }> {
  const { Socket } = await import('node:net');
  const { setupBusinessMetrics } = await import('@bizmetrics/core');
  const { bizmetricsMiddleware } = await import('@bizmetrics/adapters/express');
  const bm = setupBusinessMetrics({ serviceName: 'bench-in-process' });
  const middleware = bizmetricsMiddleware(bm) as unknown as (req: object, res: object, next: () => void) => void;
  const socket = new Socket();
  const iterations = 100_000;
  const headers = { host: '127.0.0.1:3000', 'user-agent': userAgent, referer: 'http://127.0.0.1:3000/products', cookie: `${firstSeenCookie(Date.now())}; theme=dark` };

  function run(mode: 'none' | 'lazy' | 'full'): number {
    const started = process.cpuUsage();
    for (let i = 0; i < iterations; i++) {
      const { req, res } = fakeProductRequest(socket, i, headers);
      const routed = (): void => {
        req['route'] = { path: '/products/:id' };
        if (mode === 'full') void (req as { bizmetrics?: { context: unknown } }).bizmetrics?.context;
      };
      if (mode === 'none') routed();
      else middleware(req, res, routed);
      res.statusCode = 200;
      res.emit('close');
    }
    const used = process.cpuUsage(started);
    return (used.user + used.system) / iterations;
  }

  const samples = { none: [] as number[], lazy: [] as number[], full: [] as number[] };
  run('none');
  run('lazy');
  run('full');
  for (let i = 0; i < 5; i++) {
    samples.none.push(run('none'));
    samples.lazy.push(run('lazy'));
    samples.full.push(run('full'));
  }
  await bm.shutdown();
  socket.destroy();
  return {
    iterations,
    lazyMicros: median(samples.lazy) - median(samples.none),
    fullMicros: median(samples.full) - median(samples.none),
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * `--paired`: each variant's server and a bare server run at the same time, both pinned to CPU 1,
 * each loaded by its own autocannon (this process, pinned to CPU 0). The kernel shares the core
 * between the two busy servers equally, so their request rates compare their CPU cost per request
 * directly, and whatever else slows the machine during a round slows both alike. Fresh processes
 * every round. Prints per-round ratios and their median; `--write` appends them to RESULTS.md.
 */
async function pairedMain(): Promise<void> {
  await prepareApp();
  execFileSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
  const rounds = argument('rounds', 10);
  const seconds = argument('seconds', 3);
  const warmupSeconds = argument('warmup', 3);
  const compared = variants.filter((variant) => variant !== 'bare');
  const ratios = new Map<Variant, { rps: number[]; cpu: number[]; busy: number[] }>(compared.map((variant) => [variant, { rps: [], cpu: [], busy: [] }]));
  const loadBefore = os.loadavg();
  for (let round = 1; round <= rounds; round++) {
    for (const variant of compared) {
      const pair = [await startServer('bare', 1), await startServer(variant, 1)];
      try {
        await Promise.all(pair.map((server) => load(server.port, warmupSeconds)));
        const cpuBefore = await Promise.all(pair.map((server) => cpuOf(server.child)));
        const started = process.hrtime.bigint();
        const measured = await Promise.all(pair.map((server) => load(server.port, seconds)));
        const wallMicros = Number(process.hrtime.bigint() - started) / 1000;
        const cpu = (await Promise.all(pair.map((server) => cpuOf(server.child)))).map((after, i) => after - (cpuBefore[i] as number));
        const [bare, ours] = measured as [Awaited<ReturnType<typeof load>>, Awaited<ReturnType<typeof load>>];
        // A ratio of failing requests would measure error paths: stop instead.
        for (const [name, result] of [['bare', bare], [variant, ours]] as const) {
          if (result.errors + result.non2xx > 0) throw new Error(`${name} answered ${result.non2xx} non-2xx and ${result.errors} errors in round ${round}`);
        }
        const entry = ratios.get(variant) as { rps: number[]; cpu: number[]; busy: number[] };
        entry.rps.push(ours.total / bare.total);
        entry.cpu.push((cpu[1] as number) / ours.total / ((cpu[0] as number) / bare.total));
        // Share of the core the two servers used together: near 1 means both were saturated, as the method needs.
        entry.busy.push(((cpu[0] as number) + (cpu[1] as number)) / wallMicros);
        process.stderr.write(`round ${round} ${variant}: ${ours.total} vs bare ${bare.total} requests (${(ours.total / bare.total).toFixed(3)}), core busy ${(entry.busy.at(-1) as number).toFixed(2)}\n`);
      } finally {
        for (const server of pair) server.child.kill('SIGTERM');
      }
    }
  }
  const loadAfter = os.loadavg();
  const quartiles = (values: number[]): string => {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1) + 0.5))] as number;
    return `${at(0.25).toFixed(3)}–${at(0.75).toFixed(3)}`;
  };
  const lines = [
    '',
    `### Paired on one core (\`--paired\`)${appKind === 'shop' ? ', the example shop (`--app shop`)' : ''}`,
    '',
    appDescription(),
    '',
    `Run ${new Date().toISOString()}, load average before/after ${loadBefore.map((v) => v.toFixed(2)).join(' ')} / ${loadAfter.map((v) => v.toFixed(2)).join(' ')}. ` +
      `Each round starts a bare server and the variant's server, both pinned to CPU 1, warms both for ${warmupSeconds} s, then loads both at once for ${seconds} s ` +
      '(two autocannon instances on CPU 0, 32 connections each). The kernel gives each busy server half the core, so the ratio of their request counts is the ratio of their throughput at equal CPU, ' +
      `and a slowdown of the machine during a round hits both alike. ${rounds} rounds, fresh processes every round.`,
    '',
    '| Variant | Requests ÷ bare requests, same round (median) | Interquartile range | CPU per request ÷ bare (median) | Core busy (median) | Rounds |',
    '|---|---:|---:|---:|---:|---|',
    ...compared.map((variant) => {
      const entry = ratios.get(variant) as { rps: number[]; cpu: number[]; busy: number[] };
      return `| ${variantLabels[variant]} | **${median(entry.rps).toFixed(3)}** | ${quartiles(entry.rps)} | ${median(entry.cpu).toFixed(3)} | ${median(entry.busy).toFixed(2)} | ${entry.rps.map((r) => r.toFixed(2)).join(', ')} |`;
    }),
    '',
  ];
  const markdown = lines.join('\n');
  process.stdout.write(`${markdown}\n`);
  if (process.argv.includes('--write')) appendFileSync(path.join(path.dirname(scriptPath), 'RESULTS.md'), markdown);
}

async function main(): Promise<void> {
  await prepareApp();
  if (process.argv.includes('--pin')) execFileSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
  const rounds = argument('rounds', 5);
  const seconds = argument('seconds', 5);
  const loadBefore = os.loadavg();
  // Fresh server processes every `--restart-every` rounds (default 1): how well V8 happens to
  // optimise one process moves its throughput by several percent for its whole life, so each
  // variant's figures come from several processes instead of one.
  const restartEvery = argument('restart-every', 1);
  const warmupSeconds = argument('warmup', 2);
  const servers = new Map<Variant, { child: ChildProcess; port: number }>();
  const stopServers = (): void => {
    for (const { child } of servers.values()) child.kill('SIGTERM');
    servers.clear();
  };
  const results: RoundResult[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      if ((round - 1) % restartEvery === 0) {
        stopServers();
        for (const variant of variants) servers.set(variant, await startServer(variant));
        // Warm-up: JIT, caches, first series; not counted.
        for (const variant of variants) await load((servers.get(variant) as { port: number }).port, warmupSeconds);
      }
      // Rotate the order each round so no variant always runs first after a pause.
      const order = variants.map((_, i) => variants[(i + round) % variants.length] as Variant);
      for (const variant of order) {
        const server = servers.get(variant) as { child: ChildProcess; port: number };
        const cpuBefore = await cpuOf(server.child);
        const measured = await load(server.port, seconds);
        const cpuMicrosPerRequest = ((await cpuOf(server.child)) - cpuBefore) / Math.max(1, measured.total);
        results.push({ variant, round, ...measured, cpuMicrosPerRequest });
        process.stderr.write(`round ${round} ${variant}: ${measured.requestsPerSecond.toFixed(0)} req/s, ${cpuMicrosPerRequest.toFixed(1)} CPU µs/req, p99 ${measured.p99Ms} ms\n`);
      }
    }
  } finally {
    stopServers();
  }
  const loadAfter = os.loadavg();

  // Ratios are taken per round against that round's bare run (paired, so drift in the machine's
  // load between rounds cancels out), then the median over rounds.
  const bareOf = (round: number): RoundResult => results.find((r) => r.variant === 'bare' && r.round === round) as RoundResult;
  const summary = new Map<Variant, { rps: number; cpu: number; rpsRatio: number; cpuRatio: number; p50: number; p99: number; rounds: number[]; errors: number }>();
  for (const variant of variants) {
    const mine = results.filter((result) => result.variant === variant);
    summary.set(variant, {
      rpsRatio: median(mine.map((r) => r.requestsPerSecond / bareOf(r.round).requestsPerSecond)),
      cpuRatio: median(mine.map((r) => r.cpuMicrosPerRequest / bareOf(r.round).cpuMicrosPerRequest)),
      rps: median(mine.map((r) => r.requestsPerSecond)),
      cpu: median(mine.map((r) => r.cpuMicrosPerRequest)),
      p50: median(mine.map((r) => r.p50Ms)),
      p99: median(mine.map((r) => r.p99Ms)),
      rounds: mine.map((r) => Math.round(r.requestsPerSecond)),
      errors: mine.reduce((sum, r) => sum + r.errors + r.non2xx, 0),
    });
  }
  type Row = { rps: number; cpu: number; rpsRatio: number; cpuRatio: number; p50: number; p99: number; rounds: number[]; errors: number };
  if (variantsArgument !== -1) {
    // A subset run (profiling a change): the paired ratios only, no RESULTS.md.
    for (const [variant, row] of summary) {
      const mine = results.filter((result) => result.variant === variant).map((r) => r.cpuMicrosPerRequest / bareOf(r.round).cpuMicrosPerRequest).sort((x, y) => x - y);
      process.stdout.write(`${variant.padEnd(26)} req/s ratio ${row.rpsRatio.toFixed(3)}  CPU/request ratio ${row.cpuRatio.toFixed(3)} (rounds ${mine.map((r) => r.toFixed(2)).join(' ')})  ${row.cpu.toFixed(1)} µs\n`);
    }
    return;
  }
  const bare = summary.get('bare') as Row;
  const prom = summary.get('prom-bundle') as Row;
  const ours = summary.get('bizmetrics') as Row;
  const inProcess = await measureInProcess();
  const cpus = os.cpus();
  const lines = [
    '## Express middleware throughput (`bench/express/middlewareThroughput.ts`)',
    '',
    `Run ${new Date().toISOString()}: Node ${process.version}, ${os.type()} ${os.release()}, ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM.`,
    `Load average before/after: ${loadBefore.map((v) => v.toFixed(2)).join(' ')} / ${loadAfter.map((v) => v.toFixed(2)).join(' ')}. ` +
      'Other engineers\' jobs shared the 2 cores during the run, so absolute numbers are low and noisy; the ratios come from alternating rounds of the same run.',
    '',
    `${appDescription()} ` +
      `autocannon ${(requireFromAdapters('autocannon/package.json') as { version: string }).version}, 32 connections, ${seconds} s per round, ${rounds} rounds per variant in rotating order; each server in its own process, ` +
      `fresh processes every ${restartEvery === 1 ? 'round' : `${restartEvery} rounds`} after a ${warmupSeconds} s warm-up each${process.argv.includes('--pin') ? '; servers pinned to one core, autocannon to the other' : ''}.`,
    '',
    '| Variant | Median req/s | Throughput ratio to bare (median of per-round ratios) | Server CPU µs/request (median) | CPU ratio to bare (median of per-round ratios) | Median p50 / p99 latency (ms) | Rounds (req/s) | Errors + non-2xx |',
    '|---|---:|---:|---:|---:|---:|---|---:|',
    ...variants.map((variant) => {
      const row = summary.get(variant) as Row;
      return `| ${variantLabels[variant]} | ${row.rps.toFixed(0)} | ${row.rpsRatio.toFixed(3)} | ${row.cpu.toFixed(1)} | ${row.cpuRatio.toFixed(3)} | ${row.p50} / ${row.p99} | ${row.rounds.join(', ')} | ${row.errors} |`;
    }),
    '',
    `Throughput, bizmetrics (full) vs bare: **${(ours.rpsRatio * 100).toFixed(1)} %** (target ≥ 90 %); vs express-prom-bundle: **${((ours.rpsRatio / prom.rpsRatio) * 100).toFixed(1)} %** (target ≥ 100 %).`,
    `Server CPU per request (paired ratios): bizmetrics (full) ${(ours.cpuRatio * 100).toFixed(1)} % of bare, express-prom-bundle ${(prom.cpuRatio * 100).toFixed(1)} % of bare; ` +
      `throughput a CPU-bound server would keep with bizmetrics (full): **${((1 / ours.cpuRatio) * 100).toFixed(1)} %** of bare, with express-prom-bundle ${((1 / prom.cpuRatio) * 100).toFixed(1)} %.`,
    '',
    `In-process cost of the middleware alone (no sockets; ${inProcess.iterations.toLocaleString('en')} requests through real \`IncomingMessage\`/\`ServerResponse\` objects, minus the same loop without middleware, median of 5): ` +
      `technical metrics only **${inProcess.lazyMicros.toFixed(2)} µs**, full (context + technical metrics) **${inProcess.fullMicros.toFixed(2)} µs** per request. ` +
      `Against bare Express's ${bare.cpu.toFixed(0)} µs of server CPU per request in this run, that is ${((bare.cpu / (bare.cpu + inProcess.fullMicros)) * 100).toFixed(1)} % of bare throughput for a CPU-bound server (full), ${((bare.cpu / (bare.cpu + inProcess.lazyMicros)) * 100).toFixed(1)} % (technical metrics only).`,
    '',
  ];
  const markdown = lines.join('\n');
  process.stdout.write(`${markdown}\n`);
  if (process.argv.includes('--write')) writeFileSync(path.join(path.dirname(scriptPath), 'RESULTS.md'), `${markdown}`);
}

const serveIndex = process.argv.indexOf('--serve');
if (serveIndex !== -1) {
  serve(process.argv[serveIndex + 1] as Variant).catch((error: unknown) => {
    process.stderr.write(`server failed: ${String(error)}\n`);
    process.exit(1);
  });
} else {
  (process.argv.includes('--paired') ? pairedMain() : main()).catch((error: unknown) => {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
