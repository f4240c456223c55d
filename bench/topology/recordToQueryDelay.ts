// Record-to-query delay through the production pipeline: SDK (OTLP push) → agent collector (load-
// balancing exporter, routing by stream) → gateway collector (remote write) → Prometheus, then an
// instant query. One sample: increment a marker counter at a known time, poll Prometheus until the
// new value is there. Prints Markdown on stdout, progress on stderr.
//
//   node --import tsx bench/topology/recordToQueryDelay.ts   (BENCH_SAMPLES=40 BENCH_PUSH_MS=1000)
//
// Needs the collector (collector-config/collector/build-collector.sh or BIZMETRICS_OTELCOL),
// prometheus, haproxy and redis-server on PATH (the topology starts them; no shop replicas here).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setupBusinessMetrics } from '@bizmetrics/core';
import { cachedCollector } from '../../examples/shop/src/demo/collectorBinary';
import { ProcessGroup } from '../../examples/shop/src/demo/processGroup';
import { scalarQuery } from '../../examples/shop/src/topology/ledgerComparison';
import { startTopology } from '../../examples/shop/src/topology/startTopology';
import { describeMachine } from '../src/machine';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const samples = Number(process.env['BENCH_SAMPLES'] ?? 40);
const pushMs = Number(process.env['BENCH_PUSH_MS'] ?? 1000);
const pollMs = 50;
const sampleTimeoutMs = 30_000;

function which(command: string): string {
  return execFileSync('bash', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim();
}

function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

const collector = cachedCollector(repoRoot);
if (collector === undefined) throw new Error('no collector binary: run collector-config/collector/build-collector.sh or set BIZMETRICS_OTELCOL');
const group = new ProcessGroup();
process.on('exit', () => group.killAllNow());
const topology = await startTopology({
  binaries: { collector, prometheus: which('prometheus'), haproxy: which('haproxy'), redis: which('redis-server'), shopServer: '', collectorConfigDir: path.join(repoRoot, 'collector-config/otelcol') },
  group,
  replicas: 0,
  progress: (line) => process.stderr.write(`${line}\n`),
});

try {
  const agent = topology.agents[0]!;
  const bm = setupBusinessMetrics({
    serviceName: 'delay-probe',
    serviceInstanceId: 'probe-1',
    prometheus: false,
    otlp: { url: `http://127.0.0.1:${agent.ports.otlp}/v1/metrics`, exportIntervalMillis: pushMs },
  });
  const query = 'sum(business_conversions_total{conversion_type="delay_probe"})';
  // A first increment, so the series exists and every sample below measures an update, not a birth.
  bm.metrics.count('business_conversions', { conversion_type: 'delay_probe', source: 'direct', device_type: 'desktop' }, 1);
  const first = Date.now();
  while ((await scalarQuery(topology.prometheusUrl, query)) !== 1) {
    if (Date.now() - first > 60_000) throw new Error('the probe series never reached Prometheus');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const delays: number[] = [];
  for (let n = 2; n <= samples + 1; n += 1) {
    // Spread record times over the push interval, so the sample sees every phase of it.
    await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * pushMs)));
    const recordedAt = performance.now();
    bm.metrics.count('business_conversions', { conversion_type: 'delay_probe', source: 'direct', device_type: 'desktop' }, 1);
    for (;;) {
      const value = await scalarQuery(topology.prometheusUrl, query);
      if (value !== undefined && value >= n) break;
      if (performance.now() - recordedAt > sampleTimeoutMs) throw new Error(`sample ${n} did not arrive within ${sampleTimeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
    delays.push((performance.now() - recordedAt) / 1000);
    process.stderr.write(`sample ${n - 1}/${samples}: ${delays.at(-1)!.toFixed(2)} s\n`);
  }
  await bm.shutdown();
  const sorted = [...delays].sort((a, b) => a - b);
  console.log(`Machine: ${describeMachine()} (shared with other engineers' jobs).`);
  console.log(`Pipeline: SDK OTLP/HTTP push every ${pushMs} ms → agent (load-balancing exporter, streamID, 2 gateways) → gateway (remote write) → Prometheus 2.42; query polled every ${pollMs} ms.`);
  console.log('');
  console.log('| samples | p50 | p95 | min | max |');
  console.log('|---:|---:|---:|---:|---:|');
  console.log(`| ${delays.length} | ${percentile(sorted, 50).toFixed(2)} s | ${percentile(sorted, 95).toFixed(2)} s | ${sorted[0]!.toFixed(2)} s | ${sorted.at(-1)!.toFixed(2)} s |`);
} finally {
  await group.stopAll();
  await topology.cleanup();
}
