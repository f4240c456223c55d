// Record-path benchmark: each of the guide's methods through bizmetrics (the guide service of
// `setupBusinessMetrics()`), through raw @opentelemetry/sdk-metrics calls and through the guide's
// prom-client 15 code, in the same process and the same run, interleaved round by round.
//
//   pnpm bench:record                     (from bench/; BENCH_ROUNDS=7 BENCH_TIME_MS=200 by default)
import { setupBusinessMetrics } from '@bizmetrics/core';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { Bench } from 'tinybench';
import { createGuidePromClientService } from '@bizmetrics/test-support';
import type { Batch, createBatches as CreateBatches } from './src/guideBatches';
import { createGuideWorkload } from './src/guideWorkload';
import { describeMachine } from './src/machine';
import { createRawOtelService, rawOtelViews } from './src/rawOtelService';
import { median, spread } from './src/stats';

const rounds = Number(process.env['BENCH_ROUNDS'] ?? 7);
const timeMs = Number(process.env['BENCH_TIME_MS'] ?? 200);
/** Calls per timed sample: keeps the timer's own cost (~50 ns) under 1% of a sample. */
const callsPerSample = 100;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

type Contender = 'bizmetrics' | 'raw OTel' | 'prom-client';
const contenders: Contender[] = ['bizmetrics', 'raw OTel', 'prom-client'];

type Method =
  | 'recordFunnelStep'
  | 'recordFunnelStepFreshStrings'
  | 'recordConversion'
  | 'recordRevenue'
  | 'recordFeatureUsage'
  | 'recordSessionEnd'
  | 'updateActiveUsers'
  | 'conversionCountOnly';

interface Target {
  readonly description: string;
  readonly against: 'prom-client' | 'raw OTel' | undefined;
  readonly limit: number;
}

const counterTarget: Target = { description: '≤ 1.0× prom-client', against: 'prom-client', limit: 1.0 };
const histogramTarget: Target = { description: '≤ 1.2× raw OTel', against: 'raw OTel', limit: 1.2 };
const methods: ReadonlyArray<{ method: Method; label: string; target: Target }> = [
  { method: 'recordFunnelStep', label: 'recordFunnelStep (counter, 4 labels)', target: counterTarget },
  { method: 'recordFunnelStepFreshStrings', label: 'recordFunnelStep, label strings new on every call', target: counterTarget },
  { method: 'recordConversion', label: 'recordConversion (counter 3 labels + histogram 1 label)', target: histogramTarget },
  { method: 'recordRevenue', label: 'recordRevenue (counter 3 labels + histogram 1 label)', target: histogramTarget },
  { method: 'recordFeatureUsage', label: 'recordFeatureUsage (counter, 3 labels)', target: counterTarget },
  { method: 'recordSessionEnd', label: 'recordSessionEnd (histogram, 2 labels)', target: histogramTarget },
  { method: 'updateActiveUsers', label: 'updateActiveUsers (3 gauge sets)', target: { description: 'none set', against: undefined, limit: Infinity } },
  { method: 'conversionCountOnly', label: 'conversion count alone (counter with a label object)', target: counterTarget },
];

async function main(): Promise<void> {
  const workload = createGuideWorkload();

  const bm = setupBusinessMetrics({ serviceName: 'bench' });
  const otelExporter = new PrometheusExporter({ preventServerStart: true });
  const otelProvider = new MeterProvider({ views: rawOtelViews(), readers: [otelExporter] });
  const raw = createRawOtelService(otelProvider.getMeter('raw-otel'));
  const otelSerializer = new PrometheusSerializer();
  const prom = createGuidePromClientService();

  // One module instance per contender: separate inline caches (see src/guideBatches.ts).
  const load = async (contender: string): Promise<typeof CreateBatches> =>
    ((await import(`./src/guideBatches.ts?contender=${encodeURIComponent(contender)}`)) as { createBatches: typeof CreateBatches }).createBatches;
  const batches: Record<Contender, Record<Method, Batch>> = {
    bizmetrics: (await load('bizmetrics'))(bm.service, workload, (labels) => bm.metrics.count('business_conversions', labels)),
    'raw OTel': (await load('raw-otel'))(raw, workload, (labels) => raw.conversions.add(1, labels)),
    'prom-client': (await load('prom-client'))(prom.service, workload, (labels) => prom.conversionCounter.inc(labels)),
  };
  // What a scrape costs is not timed here, but scrapes happen between rounds as in a live service.
  const scrapeAll = async (): Promise<number> => {
    const ours = await bm.getMetrics();
    const theirs = otelSerializer.serialize((await otelExporter.collect()).resourceMetrics);
    const guide = await prom.service.getMetrics();
    return ours.length + theirs.length + guide.length;
  };

  process.stdout.write(`# Record path\n\nMachine: ${describeMachine()}\n`);
  process.stdout.write(`Rounds: ${rounds}, ${timeMs} ms per contender and round, ${callsPerSample} calls per sample, 50 label combinations per method.\n\n`);

  // nsPerOp[method][contender][round]
  const nsPerOp = new Map<Method, Record<Contender, number[]>>();
  for (const { method } of methods) nsPerOp.set(method, { bizmetrics: [], 'raw OTel': [], 'prom-client': [] });

  for (let round = 0; round < rounds; round++) {
    for (const { method } of methods) {
      // Rotate the order each round so no contender always runs first (or right after a GC).
      const order = contenders.map((_, i) => contenders[(i + round) % contenders.length] as Contender);
      for (const contender of order) {
        gc();
        const batch = batches[contender][method];
        const bench = new Bench({ time: timeMs, warmupTime: round === 0 ? 100 : 20, iterations: 20, throws: true });
        bench.add(contender, () => batch(callsPerSample));
        const [task] = bench.runSync();
        const result = task?.result;
        if (result === undefined || !('latency' in result)) throw new Error(`${method} / ${contender}: no result (${result?.state})`);
        // Median sample: robust against the other engineers' jobs preempting us for a few samples.
        nsPerOp.get(method)![contender].push((result.latency.p50 * 1e6) / callsPerSample);
      }
    }
    const bytes = await scrapeAll();
    process.stderr.write(`round ${round + 1}/${rounds} done (scraped ${bytes} bytes)\n`);
  }

  const rows: string[] = [];
  const summary: string[] = [];
  rows.push('| Method | bizmetrics ns/op | raw OTel ns/op | prom-client ns/op | bizmetrics ÷ prom-client | bizmetrics ÷ raw OTel | Target | Met |');
  rows.push('|---|---:|---:|---:|---:|---:|---|---|');
  for (const { method, label, target } of methods) {
    const times = nsPerOp.get(method)!;
    // Ratios within a round: the contenders ran seconds apart, so load changes cancel out best there.
    const vsProm = times.bizmetrics.map((ns, i) => ns / (times['prom-client'][i] as number));
    const vsOtel = times.bizmetrics.map((ns, i) => ns / (times['raw OTel'][i] as number));
    let met = '—';
    if (target.against !== undefined) {
      const ratios = target.against === 'prom-client' ? vsProm : vsOtel;
      const worst = Math.max(...ratios);
      met = median(ratios) <= target.limit ? (worst <= target.limit ? 'yes' : `yes (median; worst round ${worst.toFixed(2)})`) : 'NO';
      summary.push(`${method}: ${met} (median ${median(ratios).toFixed(2)}× ${target.against})`);
    }
    rows.push(
      `| ${label} | ${spread(times.bizmetrics, 0)} | ${spread(times['raw OTel'], 0)} | ${spread(times['prom-client'], 0)} | ` +
        `${spread(vsProm, 2)} | ${spread(vsOtel, 2)} | ${target.description} | ${met} |`,
    );
  }
  process.stdout.write(`${rows.join('\n')}\n\nCells: median over ${rounds} rounds (min–max). Ratios are taken within each round.\n\n`);
  process.stdout.write(`${summary.join('\n')}\n`);
  await bm.shutdown();
  await otelProvider.shutdown();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
