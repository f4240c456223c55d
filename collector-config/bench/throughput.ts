// Benchmark (not a test): how many data points per second otelcol-bizmetrics takes on this
// machine, and how long a recorded value takes to show up in a Prometheus query.
//
//   pnpm --filter @bizmetrics/collector-config bench     (or from the root: pnpm exec tsx collector-config/bench/throughput.ts)
//   env: BENCH_SECONDS=10 BENCH_INSTANCES=20 BENCH_GENERATOR_INTERVAL_MS=1000
//        BENCH_SERIES_PER_INSTANCE=500,2000,5000 BENCH_LATENCY_TRIES=20 BENCH_PUSH_MS=1000 BENCH_SCRAPE_S=1
//        BENCH_PROFILES=base,base+remote-write,gateway   (BENCH_LATENCY_TRIES=0 skips part 2)
//
// 1. Throughput: BENCH_INSTANCES simulated SDK processes each post OTLP/JSON (the SDK's wire format)
//    with one cumulative sum point per series every interval; one load level per series count.
//    Each level is measured in the same run against three sinks:
//      - ceiling: a Node server that discards the body (what the generator itself can send here);
//      - the collector with the base config (Prometheus scrape endpoint);
//      - the collector with base + remote-write into a real Prometheus;
//      - a gateway of the agent -> gateway tier: base + gateway.yaml (bearer token checked on every
//        request) + remote-write.yaml, fed the way agents feed it (every series of a process to it).
//    Besides points/s, each collector's own CPU seconds (otelcol_process_cpu_seconds) give points
//    per CPU-second: what one core of that collector handles, less sensitive to a shared machine.
//    Points/s come from the collector's own telemetry (otelcol_receiver_accepted_metric_points,
//    otelcol_exporter_sent_metric_points), not from the generator.
// 2. Delay: an app with @bizmetrics/core (child process) pushes every BENCH_PUSH_MS to the collector,
//    Prometheus scrapes the collector every BENCH_SCRAPE_S; each try records a unique revenue
//    increment and polls the collector's scrape endpoint and Prometheus until they show it.
import { createServer, type Server } from 'node:http';
import { startBusinessApp } from '../test/support/businessAppProcess';
import { startCollector, type CollectorProcess } from '../test/support/collectorProcess';
import { findFreePort, ProcessGroup, sampleSum, scrapeExposition, sleep, startPrometheus } from '@bizmetrics/test-support';
import { createWorkDirectory, removeWorkDirectory } from '../test/support/workDirectory';

const seconds = Number(process.env['BENCH_SECONDS'] ?? 10);
const instances = Number(process.env['BENCH_INSTANCES'] ?? 20);
const pushIntervalMs = Number(process.env['BENCH_GENERATOR_INTERVAL_MS'] ?? 1000);
// Series per simulated instance, one load level each: offered points/s = instances * series / interval.
// `none` skips the throughput part.
const seriesLevels = (process.env['BENCH_SERIES_PER_INSTANCE'] ?? '500,2000,5000')
  .split(',')
  .filter((level) => level !== '' && level !== 'none')
  .map(Number);
const latencyTries = Number(process.env['BENCH_LATENCY_TRIES'] ?? 20);
const pushMs = Number(process.env['BENCH_PUSH_MS'] ?? 1000);
const scrapeSeconds = Number(process.env['BENCH_SCRAPE_S'] ?? 1);
const profiles = (process.env['BENCH_PROFILES'] ?? 'base,base+remote-write,gateway').split(',').filter((profile) => profile !== '') as Profile[];
type Profile = 'base' | 'base+remote-write' | 'gateway';
const gatewayToken = 'bench-token';

const attr = (key: string, value: string) => ({ key, value: { stringValue: value } });
const startTime = `${BigInt(Date.now()) * 1000000n}`;

/** One instance's OTLP/JSON export: a cumulative sum point for each of its `series` series, as the SDK sends it. */
function otlpRequest(instance: number, series: number, tick: number): string {
  const now = `${BigInt(Date.now()) * 1000000n}`;
  const dataPoints = [];
  for (let i = 0; i < series; i++) {
    dataPoints.push({
      attributes: [attr('step', `step_${i % 100}`), attr('source', `source_${Math.floor(i / 100)}`), attr('device_type', 'mobile')],
      startTimeUnixNano: startTime,
      timeUnixNano: now,
      asDouble: tick + 1,
    });
  }
  return JSON.stringify({
    resourceMetrics: [
      {
        resource: { attributes: [attr('service.name', 'bench'), attr('service.instance.id', `bench-${instance}`)] },
        scopeMetrics: [{ scope: { name: 'bizmetrics', version: '0.1.0' }, metrics: [{ name: 'business_funnel_step', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints } }] }],
      },
    ],
  });
}

/**
 * `instances` simulated SDK processes, each pushing all its series every `pushIntervalMs` (one
 * request at a time, like the SDK's periodic reader), for `seconds`. Series of one instance are
 * therefore sent in order, as in production (remote write refuses out-of-order samples).
 */
async function generate(url: string, series: number, headers: Record<string, string> = {}): Promise<{ pointsSent: number; refused: number; elapsedMs: number }> {
  let pointsSent = 0;
  let refused = 0;
  const started = Date.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: instances }, async (_, instance) => {
      await sleep((instance / instances) * pushIntervalMs); // spread the instances over the interval
      for (let tick = 0; Date.now() < end; tick++) {
        const due = Date.now() + pushIntervalMs;
        try {
          const response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body: otlpRequest(instance, series, tick),
            signal: AbortSignal.timeout(10000),
          });
          await response.arrayBuffer();
          if (response.ok) pointsSent += series;
          else refused += 1;
        } catch {
          refused += 1;
        }
        await sleep(Math.max(0, due - Date.now()));
      }
    }),
  );
  return { pointsSent, refused, elapsedMs: Date.now() - started };
}

async function collectorCounters(
  collector: CollectorProcess,
): Promise<{ accepted: number; refused: number; sendFailed: number; sentByExporter: Record<string, number>; rssBytes: number; cpuSeconds: number }> {
  const samples = await scrapeExposition(collector.selfMetricsUrl);
  const total = (prefix: string) => samples.filter((s) => s.name.startsWith(prefix) && !s.name.endsWith('_created')).reduce((sum, s) => sum + s.value, 0);
  return {
    accepted: total('otelcol_receiver_accepted_metric_points'),
    refused: total('otelcol_receiver_refused_metric_points'),
    sentByExporter: Object.fromEntries(
      samples
        .filter((s) => s.name.startsWith('otelcol_exporter_sent_metric_points') && !s.name.endsWith('_created'))
        .map((s) => [s.labels['exporter'] ?? '?', s.value]),
    ),
    sendFailed: total('otelcol_exporter_send_failed_metric_points'),
    rssBytes: total('otelcol_process_memory_rss'),
    cpuSeconds: total('otelcol_process_cpu_seconds'),
  };
}

const round = (value: number) => Math.round(value);
const quantile = (values: readonly number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
};

async function main(): Promise<void> {
  const processes = new ProcessGroup();
  const workDir = createWorkDirectory('bench');
  const report: Record<string, unknown> = { seconds, instances, pushIntervalMs, seriesLevels };
  const shutdown = () => void processes.stopAll().then(() => process.exit(130));
  process.once('SIGINT', shutdown);
  try {
    const levels: Record<string, unknown>[] = [];
    report['throughput'] = levels;
    for (const series of seriesLevels) {
      const offered = (instances * series * 1000) / pushIntervalMs;
      const level: Record<string, unknown> = { offeredPointsPerSecond: offered, seriesTotal: instances * series };
      levels.push(level);
      // Ceiling: the same generator against a server that discards the body.
      const sinkPort = await findFreePort();
      const sink: Server = createServer((request, response) => {
        request.resume();
        request.on('end', () => response.end('{}'));
      });
      await new Promise<void>((resolve) => sink.listen(sinkPort, '127.0.0.1', resolve));
      const ceiling = await generate(`http://127.0.0.1:${sinkPort}/v1/metrics`, series);
      await new Promise((resolve) => sink.close(resolve));
      const ceilingRate = ceiling.pointsSent / (ceiling.elapsedMs / 1000);
      level['generatorCeilingPointsPerSecond'] = round(ceilingRate);

      for (const profile of profiles) {
        const group = new ProcessGroup();
        try {
          const configs = ['otelcol/base.yaml'];
          const env: Record<string, string> = { BIZMETRICS_BATCH_TIMEOUT: '1s' };
          const headers: Record<string, string> = {};
          if (profile === 'gateway') {
            configs.push('otelcol/profiles/gateway.yaml');
            env['BIZMETRICS_GATEWAY_TOKEN'] = gatewayToken;
            headers['authorization'] = `Bearer ${gatewayToken}`;
          }
          if (profile === 'base+remote-write' || profile === 'gateway') {
            const prometheus = await startPrometheus({ group, name: `rw-${series}`, workDir, remoteWriteReceiver: true });
            configs.push('otelcol/profiles/remote-write.yaml');
            env['BIZMETRICS_REMOTE_WRITE_ENDPOINT'] = prometheus.remoteWriteUrl;
          }
          const collector = await startCollector(group, { name: `${profile.replace('+', '-')}-${series}`, workDir, configs, env });
          const before = await collectorCounters(collector);
          const run = await generate(`${collector.otlpHttpUrl}/v1/metrics`, series, headers);
          await sleep(3000); // let batches and the remote-write queue drain
          const after = await collectorCounters(collector);
          const perSecond = (value: number) => round(value / (run.elapsedMs / 1000));
          const accepted = after.accepted - before.accepted;
          level[profile] = {
            acceptedPointsPerSecond: perSecond(accepted),
            ratioToCeiling: Number((perSecond(accepted) / ceilingRate).toFixed(3)),
            exportedPointsPerSecond: Object.fromEntries(
              Object.entries(after.sentByExporter).map(([exporter, value]) => [exporter, perSecond(value - (before.sentByExporter[exporter] ?? 0))]),
            ),
            exportFailedPoints: after.sendFailed - before.sendFailed,
            refusedPoints: after.refused - before.refused,
            generatorFailedRequests: run.refused,
            collectorRssMiB: round(after.rssBytes / 1024 / 1024),
            // Includes the 3 s drain, when the exporters still work.
            collectorCpuSeconds: Number((after.cpuSeconds - before.cpuSeconds).toFixed(2)),
            acceptedPointsPerCpuSecond: round(accepted / Math.max(0.01, after.cpuSeconds - before.cpuSeconds)),
          };
        } finally {
          await group.stopAll();
        }
      }
    }

    // Delay from record() to a Prometheus query answer.
    if (latencyTries > 0) {
      const collector = await startCollector(processes, { name: 'latency', workDir, configs: ['otelcol/base.yaml'] });
      const prometheus = await startPrometheus({
        group: processes,
        name: 'latency',
        workDir,
        scrapeIntervalSeconds: scrapeSeconds,
        targets: [{ job: 'bizmetrics-collector', target: collector.prometheusTarget, honorLabels: true }],
      });
      const app = await startBusinessApp(processes, { name: 'latency', workDir, otlpUrl: `${collector.otlpHttpUrl}/v1/metrics`, exportIntervalMillis: pushMs });
      const event = (cents: number) => ({ kind: 'revenue', cents, productCategory: 'books', paymentMethod: 'card', region: 'eu_west' }) as const;
      await app.record([event(1)]);
      let total = 1;
      const waitForPrometheus = async (expected: number) => {
        for (;;) {
          const [sample] = await prometheus.query('sum(business_revenue_cents_total)');
          if (sample?.value === expected) return;
          await sleep(20);
        }
      };
      await waitForPrometheus(total);
      const toCollector: number[] = [];
      const toPrometheus: number[] = [];
      for (let i = 0; i < latencyTries; i++) {
        // Start each try at a random phase of the push and scrape cycles; otherwise each try would
        // begin just after the previous one's push and always wait about the same time.
        await sleep(Math.random() * Math.max(pushMs, scrapeSeconds * 1000));
        const cents = 100 + i;
        total += cents;
        const recordedAt = performance.now();
        await app.record([event(cents)]);
        let seenByCollector: number | undefined;
        for (;;) {
          if (seenByCollector === undefined) {
            const samples = await scrapeExposition(collector.prometheusUrl);
            if (sampleSum(samples, 'business_revenue_cents_total') === total) seenByCollector = performance.now() - recordedAt;
          }
          const [sample] = await prometheus.query('sum(business_revenue_cents_total)');
          if (sample?.value === total) {
            toPrometheus.push(performance.now() - recordedAt);
            toCollector.push(seenByCollector ?? performance.now() - recordedAt);
            break;
          }
          await sleep(20);
        }
      }
      report['delay'] = {
        pushIntervalMs: pushMs,
        scrapeIntervalSeconds: scrapeSeconds,
        batchTimeout: '200ms',
        tries: latencyTries,
        recordToCollectorEndpointMs: { median: round(quantile(toCollector, 0.5)), p95: round(quantile(toCollector, 0.95)), max: round(Math.max(...toCollector)) },
        recordToPrometheusQueryMs: { median: round(quantile(toPrometheus, 0.5)), p95: round(quantile(toPrometheus, 0.95)), max: round(Math.max(...toPrometheus)) },
      };
    }
  } finally {
    await processes.stopAll();
    removeWorkDirectory(workDir);
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
