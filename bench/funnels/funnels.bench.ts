// Per-call cost of the funnel tracker and recordActiveUser, and memory with 1,000,000 open sessions
// and 1,000,000 distinct users. Run: pnpm --filter @bizmetrics/bench run bench:funnels
// Costs are reported next to a baseline measured in the same run (ratios travel between machines,
// nanoseconds do not).
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { BusinessMetricsService, setupBusinessMetrics } from '@bizmetrics/core';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

/** Median ns per call over `rounds` rounds of `calls` calls. */
function measure(calls: number, rounds: number, run: (i: number) => void): number {
  const results: number[] = [];
  let offset = 0;
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) run(offset + i);
    results.push(Number(process.hrtime.bigint() - start) / calls);
    offset += calls;
  }
  results.sort((a, b) => a - b);
  return results[Math.floor(results.length / 2)] as number;
}

const steps = ['cart_view', 'shipping_info', 'payment_info', 'order_review', 'order_confirmed'];
const context = { source: 'google_ads', deviceType: 'mobile', experimentVariant: 'b' };
const lines: string[] = [];
const report = (line: string) => {
  lines.push(line);
  process.stdout.write(`${line}\n`);
};


// ---- per-call cost ---------------------------------------------------------------------------
async function timings(): Promise<void> {
  const runtime = setupBusinessMetrics();
  const service = new BusinessMetricsService(runtime);
  const funnel = runtime.funnels.define('bench', steps, { maxSessions: 100_000 });
  const keys = Array.from({ length: 10_000 }, (_, i) => `session-${i}`);
  // Warm-up: open every session at cart_view.
  for (const key of keys) funnel.session(key, context).step('cart_view');

  const calls = 200_000;
  const rounds = 7;
  const guideStep = measure(calls, rounds, (i) => service.recordFunnelStep(steps[(i % 3) + 1] as string, context));
  // Steps 1..3 cycle on 10k open sessions: mostly "repeated" after the first pass, which is the
  // cheap path; the first-time path (a new series value) is measured separately below.
  const funnelRepeat = measure(calls, rounds, (i) => funnel.session(keys[i % keys.length] as string, context).step(steps[(i % 3) + 1] as string));
  let fresh = 0;
  const funnelNew = measure(calls, rounds, () => {
    const session = funnel.session(`fresh-${fresh++}`, context);
    session.step('cart_view');
  });
  const funnelFull = measure(20_000, rounds, (i) => {
    const session = funnel.session(`full-${i}`, context);
    for (let s = 0; s < 4; s++) session.step(steps[s] as string);
    session.complete();
  }) / 5;
  report('');
  report('| call | ns/call (median of 7) | × guide recordFunnelStep |');
  report('|---|---:|---:|');
  report(`| guide \`recordFunnelStep(step, ctx)\` (baseline, no session state) | ${guideStep.toFixed(0)} | 1.0 |`);
  report(`| \`funnel.session(key, ctx).step(name)\`, step already seen (repeat path) | ${funnelRepeat.toFixed(0)} | ${(funnelRepeat / guideStep).toFixed(1)} |`);
  report(`| \`funnel.session(newKey, ctx).step('cart_view')\`, new session (evicts at 100k) | ${funnelNew.toFixed(0)} | ${(funnelNew / guideStep).toFixed(1)} |`);
  report(`| full session (4 steps + complete), per call | ${funnelFull.toFixed(0)} | ${(funnelFull / guideStep).toFixed(1)} |`);

  const featureUsage = measure(calls, rounds, (i) => service.recordFeatureUsage('dashboard_export', { userTier: i % 2 ? 'pro' : 'free', isNewUser: false }));
  const activeUser = measure(calls, rounds, (i) => service.recordActiveUser(`user-${i}`, { userTier: i % 2 ? 'pro' : 'free' }));
  const idString = measure(calls, rounds, (i) => {
    if (`user-${i}`.length === 0) throw new Error('unreachable');
  });
  report(`| guide \`recordFeatureUsage\` (baseline for a counter call) | ${featureUsage.toFixed(0)} | — |`);
  report(`| \`recordActiveUser(\\\`user-\${i}\\\`, { userTier })\` (hash + 3 sketches) | ${activeUser.toFixed(0)} | ${(activeUser / featureUsage).toFixed(1)} × recordFeatureUsage |`);
  report(`| building the id string alone (included above) | ${idString.toFixed(0)} | — |`);
  await runtime.shutdown();
}

// ---- memory: each scenario in a fresh process, so nothing measured earlier is in the heap ------
async function sessionsMemory(maxSessions: number): Promise<{ bytes: number; open: number }> {
  const runtime = setupBusinessMetrics();
  const funnel = runtime.funnels.define('mem', steps, { maxSessions, sessionTimeoutMs: 3_600_000 });
  const before = heapAfterGc();
  for (let i = 0; i < 1_000_000; i++) {
    const session = funnel.session(`9f1c2e7a-${i.toString(16).padStart(8, '0')}-sess`, context); // 26-char keys
    session.step('cart_view');
    if (i % 3 === 0) session.step('shipping_info');
  }
  const bytes = heapAfterGc() - before;
  const open = funnel.openSessions;
  await runtime.shutdown();
  return { bytes, open };
}

async function usersMemory(): Promise<{ bytes: number; estimate: number }> {
  const runtime = setupBusinessMetrics();
  const service = new BusinessMetricsService(runtime);
  const before = heapAfterGc();
  for (let i = 0; i < 1_000_000; i++) service.recordActiveUser(`user-${i}`, { userTier: 'pro' });
  const bytes = heapAfterGc() - before;
  return { bytes, estimate: service.activeUsers?.estimate('daily', 'pro') ?? Number.NaN };
}

function setMemory(): { bytes: number; size: number } {
  const before = heapAfterGc();
  const naive = new Set<string>();
  for (let i = 0; i < 1_000_000; i++) naive.add(`user-${i}`);
  return { bytes: heapAfterGc() - before, size: naive.size };
}

function inChild<T>(scenario: string): T {
  const output = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), scenario], { encoding: 'utf8' });
  return JSON.parse(output.trim().split('\n').pop() as string) as T;
}

const scenario = process.argv[2];
if (scenario !== undefined) {
  const result =
    scenario === 'sessions-1m' ? await sessionsMemory(1_000_000)
    : scenario === 'sessions-100k' ? await sessionsMemory(100_000)
    : scenario === 'users' ? await usersMemory()
    : setMemory();
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  report(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM`);
  await timings();
  const unbounded = inChild<{ bytes: number; open: number }>('sessions-1m');
  const bounded = inChild<{ bytes: number; open: number }>('sessions-100k');
  report('');
  report('| 1,000,000 sessions opened (26-char keys) | open after | heap growth | per open session |');
  report('|---|---:|---:|---:|');
  report(`| maxSessions 1,000,000 (all kept) | ${unbounded.open.toLocaleString('en')} | ${(unbounded.bytes / 2 ** 20).toFixed(1)} MiB | ${(unbounded.bytes / unbounded.open).toFixed(0)} B |`);
  report(`| maxSessions 100,000 (default; 900,000 evicted as abandoned) | ${bounded.open.toLocaleString('en')} | ${(bounded.bytes / 2 ** 20).toFixed(1)} MiB | ${(bounded.bytes / bounded.open).toFixed(0)} B |`);
  const users = inChild<{ bytes: number; estimate: number }>('users');
  const naive = inChild<{ bytes: number; size: number }>('set');
  report('');
  report('| 1,000,000 distinct users, one tier | heap growth | estimate (error) |');
  report('|---|---:|---:|');
  report(`| \`recordActiveUser\` (3 HyperLogLog sketches, p = 14) | ${(users.bytes / 2 ** 10).toFixed(0)} KiB | ${Math.round(users.estimate).toLocaleString('en')} (${(((users.estimate - 1e6) / 1e6) * 100).toFixed(2)} %) |`);
  report(`| baseline: a \`Set\` of the ids (exact, what a naive counter keeps) | ${(naive.bytes / 2 ** 20).toFixed(1)} MiB | ${naive.size.toLocaleString('en')} (exact) |`);
}
