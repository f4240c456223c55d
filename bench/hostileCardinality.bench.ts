// Memory under hostile labels: 1,000,000 guide calls carrying 100,000 distinct attacker-controlled
// label values (UTM sources, feature names, entry pages; every tenth one an e-mail address), with
// a Prometheus collection after every 100,000 calls (10 in all). Heap used after a full GC is
// taken before the first call, after every collection and at the end. Each contender runs in its
// own Node process so one's garbage never counts against another.
//
//   pnpm bench:cardinality              (from bench/)
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseExposition } from '@bizmetrics/test-support';
import { setupBusinessMetrics } from '@bizmetrics/core';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { createGuidePromClientService } from '@bizmetrics/test-support';
import type { GuideService } from './src/guideWorkload';
import { describeMachine } from './src/machine';
import { createRawOtelService, rawOtelViews } from './src/rawOtelService';

const events = 1_000_000;
const distinctValues = 100_000;
const collections = 10;
const allContenders = ['bizmetrics', 'raw OTel', 'prom-client'] as const;
type Contender = (typeof allContenders)[number];
// prom-client keeps every series and its scrape of 1.3 million lines takes minutes on a shared
// machine, so it runs only when asked (`-- --with-prom-client`).
const contenders: readonly Contender[] = process.argv.includes('--with-prom-client') ? allContenders : ['bizmetrics', 'raw OTel'];

interface Run {
  contender: Contender;
  startMB: number;
  afterCollectionMB: number[];
  endMB: number;
  exportedSeries: number;
  expositionBytes: number;
  seconds: number;
  /** User + system CPU time of the run: what the wall time would be on an idle machine, roughly. */
  cpuSeconds: number;
}

function heapUsedMB(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/** The n-th hostile value: unique, shaped like what scrapers and bots put into query strings. */
function hostileValue(n: number): string {
  return n % 10 === 0 ? `visitor${n}@mailinator.com` : `utm_${n.toString(36)}_${(n * 2654435761) % 100_000}`;
}

function setUp(contender: Contender): { service: GuideService; collect: () => Promise<string> } {
  if (contender === 'bizmetrics') {
    const bm = setupBusinessMetrics({ serviceName: 'bench' });
    return { service: bm.service, collect: () => bm.getMetrics() };
  }
  if (contender === 'raw OTel') {
    const exporter = new PrometheusExporter({ preventServerStart: true });
    const provider = new MeterProvider({ views: rawOtelViews(), readers: [exporter] });
    const serializer = new PrometheusSerializer();
    return {
      service: createRawOtelService(provider.getMeter('raw-otel')),
      collect: async () => serializer.serialize((await exporter.collect()).resourceMetrics),
    };
  }
  const prom = createGuidePromClientService();
  return { service: prom.service, collect: () => prom.service.getMetrics() };
}

async function runOne(contender: Contender): Promise<Run> {
  const { service, collect } = setUp(contender);
  // Pre-build the values so the strings themselves are not what we measure: they are the caller's.
  const values = Array.from({ length: distinctValues }, (_, n) => hostileValue(n));
  const sessionStart = new Date(Date.now() - 90_000);
  await collect();
  const startMB = heapUsedMB();
  const afterCollectionMB: number[] = [];
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  // The last scrape, held in an object so it can be let go before the final heap reading.
  const last = { exposition: '' };
  const perCollection = events / collections;
  for (let event = 0; event < events; event++) {
    // A stride coprime with the pool size: every value comes back 10 times, far apart.
    const value = values[(event * 7919) % distinctValues] as string;
    switch (event % 3) {
      case 0:
        service.recordFunnelStep('cart_view', { source: value, deviceType: 'mobile' });
        break;
      case 1:
        service.recordFeatureUsage(value, { userTier: 'free', isNewUser: true });
        break;
      default:
        service.recordSessionEnd(sessionStart, { userTier: 'pro', entryPage: `/landing/${value}` });
    }
    if ((event + 1) % perCollection === 0) {
      last.exposition = await collect();
      afterCollectionMB.push(heapUsedMB());
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const exportedSeries = parseExposition(last.exposition).length;
  const expositionBytes = last.exposition.length;
  last.exposition = '';
  return { contender, startMB, afterCollectionMB, endMB: heapUsedMB(), exportedSeries, expositionBytes, seconds, cpuSeconds };
}

function report(runs: Run[]): void {
  const mb = (value: number) => value.toFixed(1);
  const out: string[] = [];
  out.push(`# Hostile cardinality\n\nMachine: ${describeMachine()}`);
  out.push(`${events.toLocaleString('en')} calls (recordFunnelStep / recordFeatureUsage / recordSessionEnd in turn), ${distinctValues.toLocaleString('en')} distinct hostile label values, a Prometheus collection every ${(events / collections).toLocaleString('en')} calls (${collections} collections). Heap used after full GC, MB.\n`);
  out.push('| Contender | start | after 1st collection | after last collection | end | growth (end − start) | growth 1st → last collection | sample lines in last scrape | last scrape | wall time | CPU time |');
  out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const run of runs) {
    const first = run.afterCollectionMB[0]!;
    const last = run.afterCollectionMB[run.afterCollectionMB.length - 1]!;
    out.push(
      `| ${run.contender} | ${mb(run.startMB)} | ${mb(first)} | ${mb(last)} | ${mb(run.endMB)} | ${mb(run.endMB - run.startMB)} | ${mb(last - first)} | ` +
        `${run.exportedSeries.toLocaleString('en')} | ${(run.expositionBytes / 2 ** 20).toFixed(2)} MB | ${run.seconds.toFixed(1)} s | ${run.cpuSeconds.toFixed(1)} s |`,
    );
  }
  out.push('\nHeap after each collection (MB):\n');
  out.push(`| Contender | ${Array.from({ length: collections }, (_, i) => i + 1).join(' | ')} |`);
  out.push(`|---|${Array.from({ length: collections }, () => '---:').join('|')}|`);
  for (const run of runs) out.push(`| ${run.contender} | ${run.afterCollectionMB.map(mb).join(' | ')} |`);
  process.stdout.write(`${out.join('\n')}\n`);
}

const only = process.argv.find((arg) => arg.startsWith('--contender='))?.slice('--contender='.length);
if (only !== undefined) {
  // Child: run one contender, print its figures as JSON on the last line.
  runOne(only as Contender)
    .then((run) => process.stdout.write(`${JSON.stringify(run)}\n`))
    .catch((error: unknown) => {
      process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
      process.exitCode = 1;
    });
} else {
  const runs: Run[] = [];
  for (const contender of contenders) {
    process.stderr.write(`running ${contender}...\n`);
    const output = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), `--contender=${contender}`], {
      encoding: 'utf8',
      maxBuffer: 16 * 2 ** 20,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    runs.push(JSON.parse(output.trim().split('\n').pop() as string) as Run);
  }
  report(runs);
}
