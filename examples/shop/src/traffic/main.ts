// The traffic generator as a process:
//   node dist/traffic.js --url http://127.0.0.1:3000 --rate 5 --duration 60 --seed 42
// Prints a progress line every --report seconds and a final one; exits on its own or on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { emptyStats, runTraffic, type TrafficStats } from './trafficGenerator';
import { TrafficLedger } from './trafficLedger';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:3000' },
    rate: { type: 'string', default: '5' },
    duration: { type: 'string', default: '60' },
    seed: { type: 'string', default: '42' },
    'think-scale': { type: 'string', default: '1' },
    report: { type: 'string', default: '10' },
    // The ledger (every session, step, order, refund and user produced) as JSON: rewritten at each
    // report, so it can be read mid-run, and once more at the end with `finishedAt` set.
    ledger: { type: 'string' },
    // Stop when stdin closes: the demo holds the other end, so the traffic cannot outlive it.
    'exit-with-parent': { type: 'boolean', default: false },
  },
});

const rate = Number(values.rate);
const duration = Number(values.duration);
const seed = Number(values.seed);
for (const [name, value] of [['--rate', rate], ['--duration', duration]] as const) {
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`traffic: ${name} must be a positive number`);
    process.exit(2);
  }
}
if (!Number.isSafeInteger(seed)) {
  console.error('traffic: --seed must be an integer');
  process.exit(2);
}

function line(stats: TrafficStats): string {
  const o = stats.outcomes;
  return `traffic: ${stats.shoppers} shoppers, ${o.ordered} orders ($${(stats.revenueCents / 100).toFixed(2)}), ${o.abandoned} abandoned, ${o.declined} declined, ${o.failed} failed, ${o.network_error} network errors`;
}

const controller = new AbortController();
process.on('SIGINT', () => controller.abort());
process.on('SIGTERM', () => controller.abort());
if (values['exit-with-parent']) {
  process.stdin.on('end', () => controller.abort());
  process.stdin.on('close', () => controller.abort());
  process.stdin.resume();
}
const stats = emptyStats();
const ledger = new TrafficLedger(seed);
const ledgerFile = values.ledger;
async function writeLedger(): Promise<void> {
  if (ledgerFile !== undefined) await ledger.write(ledgerFile).catch((error: Error) => console.error(`traffic: cannot write the ledger: ${error.message}`));
}
const reporter = setInterval(() => {
  console.log(line(stats));
  void writeLedger();
}, Number(values.report) * 1000);
console.log(`traffic: ${rate} shoppers/s for ${duration} s against ${values.url}, seed ${seed}`);
await runTraffic({ baseUrl: values.url, rate, durationSeconds: duration, seed, thinkScale: Number(values['think-scale']), signal: controller.signal, ledger }, stats);
clearInterval(reporter);
ledger.finish();
await writeLedger();
console.log(`${line(stats)} (done)`);
process.exit(0); // stdin, when watched, would keep the process alive
