// The one-command demo: the shop (built), simulated shoppers, and the guide's KPIs every few seconds.
//   pnpm --filter @bizmetrics/example-shop run demo -- [--stack | --no-stack] [--port 3000] [--duration s]
// Embedded path: the KPIs come from the shop's own /metrics (the SDK's Prometheus endpoint).
// Stack path (--stack, or automatically when the collector is cached and prometheus is on PATH): the
// shop also pushes OTLP to our collector, a real Prometheus scrapes the collector with the guide's
// alert rules, and the KPIs are the guide's PromQL queries.
import { randomUUID } from 'node:crypto';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildCollector, cachedCollector } from './collectorBinary';
import { formatKpis, type KpiSnapshot } from './kpiSnapshot';
import { ProcessGroup, type DemoChild } from './processGroup';
import { guideQueries, kpisFromPrometheus } from './promqlKpis';
import { waitForLine } from './readiness';
import { parseScrape, type Scrape } from './scrapeSamples';
import { kpisFromScrapes } from './scrapeKpis';
import { startStack, type Stack } from './stackServices';
import { startTopology, type Topology } from '../topology/startTopology';
import { formatAgreement, ledgerKpiAgreement } from './ledgerKpiCheck';
import { compareWithLedger } from '../topology/ledgerComparison';
import type { LedgerSnapshot } from '../traffic/trafficLedger';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    stack: { type: 'boolean', default: false },
    'no-stack': { type: 'boolean', default: false },
    port: { type: 'string', default: '3000' },
    duration: { type: 'string' },
    rate: { type: 'string', default: '4' },
    seed: { type: 'string', default: '42' },
    interval: { type: 'string', default: '5' },
    'think-scale': { type: 'string', default: '1' },
    // Short, so sessions the traffic leaves show up as abandoned within the demo (the shop's own default is 30 min).
    'funnel-timeout': { type: 'string', default: '30' },
    // With --stack: N shop replicas behind haproxy, 2 agents, 2 gateways, Redis (the production shape).
    replicas: { type: 'string', default: '1' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(`usage: demo [--stack | --no-stack] [--port 3000] [--duration seconds] [--rate shoppers/s] [--seed n] [--interval seconds] [--think-scale x] [--funnel-timeout seconds] [--stack --replicas N]`);
  process.exit(0);
}

const distDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = findRepoRoot(distDir);
const intervalMs = Math.max(1, Number(values.interval)) * 1000;
const duration = values.duration === undefined ? undefined : Number(values.duration);
if (duration !== undefined && !(duration > 0)) fail('--duration must be a positive number of seconds');
if (!(Number(values['funnel-timeout']) > 0)) fail('--funnel-timeout must be a positive number of seconds');
const replicas = Number(values.replicas);
if (!Number.isInteger(replicas) || replicas < 1) fail('--replicas must be a positive integer');
if (replicas > 1 && !values.stack) fail('--replicas needs --stack (replicas run behind haproxy with collectors, Redis and Prometheus)');
// Every process the demo starts carries this variable, so a test can prove none outlives it.
const env = { ...process.env, BIZMETRICS_DEMO_RUN: process.env['BIZMETRICS_DEMO_RUN'] ?? randomUUID() };

const bold = process.stdout.isTTY ? (text: string) => `\u001b[1m${text}\u001b[0m` : (text: string) => text;
const step = (message: string) => console.log(bold(`==> ${message}`));
const note = (message: string) => console.log(`    ${message}`);

const group = new ProcessGroup();
let stack: Stack | undefined;
let topology: Topology | undefined;
let ledgerDir: string | undefined;
let summaryTimer: NodeJS.Timeout | undefined;
let stopping = false;

async function shutdown(code: number, reason: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(summaryTimer);
  const names = group.running.map((child) => `${child.name} (pid ${child.pid})`);
  step(`${reason}: stopping ${names.length > 0 ? names.join(', ') : 'nothing (no process running)'}`);
  await group.stopAll();
  await stack?.cleanup().catch(() => undefined);
  await topology?.cleanup().catch(() => undefined);
  if (ledgerDir !== undefined) await rm(ledgerDir, { recursive: true, force: true }).catch(() => undefined);
  step(`stopped; no process left behind`);
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0, 'interrupted'));
process.on('SIGTERM', () => void shutdown(0, 'terminated'));
process.on('exit', () => group.killAllNow());

function fail(message: string): never {
  console.error(`demo: ${message}`);
  process.exit(2);
}

function findRepoRoot(from: string): string {
  let dir = from;
  while (dir !== path.dirname(dir)) {
    if (existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return dir;
    dir = path.dirname(dir);
  }
  return path.resolve(from, '../../..');
}

function onPath(command: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A child that must keep running: its exit ends the demo with its last lines. */
function watch(child: DemoChild): void {
  void child.exited.then(() => {
    if (!stopping) {
      console.error(`demo: ${child.name} exited unexpectedly:\n  ${child.recent.join('\n  ')}`);
      void shutdown(1, `${child.name} died`);
    }
  });
}

async function main(): Promise<void> {
  const prometheusBinary = onPath('prometheus');
  const cached = cachedCollector(repoRoot);
  const useStack = values.stack || (!values['no-stack'] && cached !== undefined && prometheusBinary !== undefined);
  step(`bizmetrics demo: ${useStack ? 'stack path (shop → OTLP → collector → Prometheus + alert rules)' : 'embedded path (the SDK\'s Prometheus endpoint on the shop)'}`);
  if (!useStack && !values['no-stack']) note('run with --stack for the collector + Prometheus path');

  if (useStack) {
    if (prometheusBinary === undefined) fail('--stack needs `prometheus` on PATH (Debian: apt-get install prometheus)');
    let collectorBinary = cached;
    if (collectorBinary === undefined) {
      step('building the OpenTelemetry Collector distribution (first time: several minutes)');
      collectorBinary = await buildCollector(repoRoot, (line) => note(line));
    }
    if (replicas > 1) {
      const haproxy = onPath('haproxy') ?? fail('--replicas needs `haproxy` on PATH (Debian: apt-get install haproxy)');
      const redis = onPath('redis-server') ?? fail('--replicas needs `redis-server` on PATH (Debian: apt-get install redis-server)');
      step(`starting the topology: Redis, Prometheus (remote write + alert rules), 2 gateways, 2 agents, ${replicas} shop replicas, haproxy`);
      const rulesDir = path.join(repoRoot, 'collector-config/prometheus/rules');
      topology = await startTopology({
        binaries: { collector: collectorBinary, prometheus: prometheusBinary, haproxy, redis, shopServer: path.join(distDir, 'server.js'), collectorConfigDir: path.join(repoRoot, 'collector-config/otelcol') },
        group,
        env,
        replicas,
        exportIntervalMs: 2000,
        scrapeIntervalSeconds: 5,
        ruleFiles: existsSync(rulesDir) ? readdirSync(rulesDir).filter((file) => file.endsWith('.yml')).map((file) => path.join(rulesDir, file)) : [],
        shopArgs: (redisUrl) => ['--redis-url', redisUrl, '--redis-interval', '2000', '--funnel-timeout', values['funnel-timeout']],
        progress: note,
      });
      for (const child of group.running) watch(child);
    } else {
      step('starting the stack');
      stack = await startStack({ repoRoot, collectorBinary, prometheusBinary, group, env, progress: note });
    }
  }

  let shopUrl: string;
  const shopStarted = Date.now();
  if (topology !== undefined) {
    shopUrl = topology.url;
    note(`shop replicas behind haproxy at ${shopUrl}; a checkout session idle for ${values['funnel-timeout']} s counts as abandoned`);
  } else {
    step(`starting the shop on 127.0.0.1:${values.port}`);
    const shopArgs = [path.join(distDir, 'server.js'), '--port', values.port, '--funnel-timeout', values['funnel-timeout'], '--exit-with-parent'];
    if (stack) shopArgs.push('--otlp-url', stack.otlpUrl, '--export-interval', '5000');
    const shop = group.start('shop', process.execPath, shopArgs, { env, lifeline: true });
    const listening = await waitForLine(shop, /"event":"listening"/, 30_000).catch((error: Error) => {
      const inUse = shop.recent.some((line) => line.includes('EADDRINUSE'));
      throw new Error(inUse ? `port ${values.port} is in use: pass --port N (0 for any free port)` : error.message);
    });
    shopUrl = (JSON.parse(listening) as { url: string }).url;
    watch(shop);
    note(`shop ready (pid ${shop.pid}); a checkout session idle for ${values['funnel-timeout']} s counts as abandoned`);
  }
  // The generator's ledger (replica mode): what each KPI should say, printed next to Prometheus' answer.
  ledgerDir = topology !== undefined ? await mkdtemp(path.join(tmpdir(), 'bizmetrics-ledger-')) : undefined;
  const ledgerFile = ledgerDir === undefined ? undefined : path.join(ledgerDir, 'ledger.json');

  step(`starting the traffic generator: ${values.rate} shoppers/s, seed ${values.seed}`);
  let trafficLine = '';
  const traffic = group.start(
    'traffic',
    process.execPath,
    [
      path.join(distDir, 'traffic.js'),
      '--url', shopUrl,
      '--rate', values.rate,
      '--duration', String(duration ?? 86_400),
      '--seed', values.seed,
      '--think-scale', values['think-scale'],
      '--report', '1', // fresh numbers for each summary
      '--exit-with-parent',
      ...(ledgerFile !== undefined ? ['--ledger', ledgerFile] : []),
    ],
    { env, lifeline: true, onLine: (line) => (trafficLine = line) },
  );
  note(`traffic running (pid ${traffic.pid})`);

  step('open these');
  note(`shop            ${shopUrl}/`);
  note(`dashboard page  ${shopUrl}/dashboard`);
  note(`/metrics        ${shopUrl}/metrics`);
  if (topology) {
    note(`Prometheus      ${topology.prometheusUrl}/graph?g0.expr=${encodeURIComponent(guideQueries.conversionRate)}&g0.tab=0&g0.range_input=15m`);
    note(`alerts          ${topology.prometheusUrl}/alerts`);
  }
  if (stack) {
    note(`collector       ${stack.collectorMetricsUrl}`);
    note(`Prometheus      ${stack.prometheusUrl}/graph?g0.expr=${encodeURIComponent(guideQueries.conversionRate)}&g0.tab=0&g0.range_input=15m`);
    note(`alerts          ${stack.prometheusUrl}/alerts`);
  }
  step(`KPIs every ${intervalMs / 1000} s${duration === undefined ? ' (Ctrl-C stops everything)' : `, for ${duration} s`}`);

  // Embedded path: scrapes of the last minute; the first delta is taken from the shop's start (all counters 0).
  const history: { at: number; scrape: Scrape }[] = [{ at: shopStarted, scrape: new Map() }];
  async function summarize(): Promise<void> {
    let snapshot: KpiSnapshot;
    const prometheusUrl = topology?.prometheusUrl ?? stack?.prometheusUrl;
    if (prometheusUrl !== undefined) {
      snapshot = await kpisFromPrometheus(prometheusUrl);
    } else {
      const response = await fetch(`${shopUrl}/metrics`);
      const now = Date.now();
      history.push({ at: now, scrape: parseScrape(await response.text()) });
      while (history.length > 2 && now - history[1]!.at >= 60_000) history.shift();
      const oldest = history[0]!;
      snapshot = kpisFromScrapes(oldest.scrape, history.at(-1)!.scrape, (now - oldest.at) / 1000);
    }
    if (stopping) return;
    console.log(formatKpis(snapshot));
    if (ledgerFile !== undefined && existsSync(ledgerFile)) {
      const ledger = JSON.parse(await readFile(ledgerFile, 'utf8')) as LedgerSnapshot;
      console.log(formatAgreement(ledgerKpiAgreement(snapshot, ledger, Date.now() - shopStarted)));
      // The totals behind the KPIs (sums over the replicas of the cumulative counters): right at any moment.
      const totals = await compareWithLedger(prometheusUrl!, ledger, { withAbandonment: true });
      const wrong = totals.filter((row) => !row.ok);
      console.log(`  ledger totals vs Prometheus: ${totals.length - wrong.length}/${totals.length} agree (steps, orders, revenue, refunds, features, sessions exact; active users, abandonment ±2 %)`);
      for (const row of wrong) console.log(`    differs: ${row.name}: ledger ${row.ledger}, Prometheus ${row.prometheus ?? 'no data'}`);
    }
    if (trafficLine !== '') console.log(`  ${trafficLine}`);
  }
  summaryTimer = setInterval(() => {
    summarize().catch((error: Error) => console.error(`demo: could not compute the KPIs: ${error.message}`));
  }, intervalMs);
  if (duration !== undefined) {
    setTimeout(() => {
      // One last summary of the whole run, then stop. With replicas, first let the traffic's last
      // journeys end and its idle sessions be swept as abandoned, so the ledger and Prometheus are final.
      clearInterval(summaryTimer);
      const settled =
        topology === undefined
          ? Promise.resolve()
          : Promise.race([traffic.exited, sleep(60_000)]).then(async () => {
              note(`traffic done; waiting ${Number(values['funnel-timeout']) + 15} s for idle sessions to be swept and the last points to reach Prometheus`);
              await sleep((Number(values['funnel-timeout']) + 15) * 1000);
            });
      settled
        .then(() => summarize())
        .catch((error: Error) => console.error(`demo: could not compute the KPIs: ${error.message}`))
        .finally(() => void shutdown(0, `${duration} s elapsed`));
    }, duration * 1000);
  }
}

main().catch((error: Error) => {
  console.error(`demo: ${error.message}`);
  void shutdown(1, 'set-up failed');
});
