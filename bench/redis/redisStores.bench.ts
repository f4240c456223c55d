// Request-path cost of the Redis-backed funnel and active-user stores against the in-process ones
// (same run, alternating rounds), and Redis memory per open session and per active user.
// Run: pnpm --filter @bizmetrics/bench run bench:redis  (starts its own redis-server on a free loopback port)
import { setupBusinessMetrics, windowStarts, type BusinessMetricsSetup, type Funnel } from '@bizmetrics/core';
import { createRedisStores, type RedisStores } from '@bizmetrics/redis';
import { ProcessGroup, startRedis, type RunningRedis } from '@bizmetrics/test-support';
import { describeMachine } from '../src/machine';
import { median, spread } from '../src/stats';

const steps = ['cart_view', 'shipping_info', 'payment_info', 'order_review', 'order_confirmed'];
const context = { source: 'google_ads', deviceType: 'mobile', experimentVariant: 'b' };
const callsPerRound = Number(process.env['CALLS'] ?? 20_000);
const rounds = Number(process.env['ROUNDS'] ?? 5);
const memorySessions = Number(process.env['MEMORY_SESSIONS'] ?? 100_000);
const memoryUsers = Number(process.env['MEMORY_USERS'] ?? 100_000);

interface Variant {
  readonly name: string;
  readonly runtime: BusinessMetricsSetup;
  readonly funnel: Funnel;
  readonly redis: RedisStores | undefined;
}

function variant(name: string, redis: RedisStores | undefined): Variant {
  const runtime = setupBusinessMetrics(redis ? { activeUsers: { store: redis.activeUsersStore } } : {});
  const funnel = runtime.funnels.define('checkout', steps, { store: redis?.funnelStore, sessionTimeoutMs: 3_600_000 });
  return { name, runtime, funnel, redis };
}

interface Timing {
  /** Wall µs per call of the synchronous calls (what a request waits). */
  readonly sync: number;
  /** CPU µs per call of the same loop (less sensitive to other processes on a shared machine). */
  readonly syncCpu: number;
  /** Wall µs per call until Redis has answered everything (background flush included). */
  readonly withFlush: number;
  /** CPU µs per call the flush cost this process (sending, parsing replies, recording outcomes). */
  readonly flushCpu: number;
}

async function timeCalls(target: Variant, round: number, kind: 'funnel' | 'users'): Promise<Timing> {
  const sessions = 5_000;
  const startCpu = process.cpuUsage();
  const start = performance.now();
  if (kind === 'funnel') {
    for (let i = 0; i < callsPerRound; i++) target.funnel.session(`r${round}-${i % sessions}`, context).step(steps[Math.floor(i / sessions) % 4] as string);
  } else {
    for (let i = 0; i < callsPerRound; i++) target.runtime.activeUsers?.record(`user-${round}-${i}`, 'free');
  }
  const sync = performance.now() - start;
  const syncCpu = process.cpuUsage(startCpu);
  const cpu = process.cpuUsage();
  await target.redis?.flush(120_000);
  const flushCpu = process.cpuUsage(cpu);
  if ((target.redis?.bufferedCommands ?? 0) > 0) throw new Error(`${target.name}: the buffer did not drain`);
  const withFlush = performance.now() - start;
  return { sync: (sync * 1000) / callsPerRound, syncCpu: (syncCpu.user + syncCpu.system) / callsPerRound, withFlush: (withFlush * 1000) / callsPerRound, flushCpu: (flushCpu.user + flushCpu.system) / callsPerRound };
}

async function usedMemory(server: RunningRedis): Promise<number> {
  const info = await server.command('INFO', 'memory');
  const match = /used_memory:(\d+)/.exec(info);
  if (!match) throw new Error(`no used_memory in INFO: ${info.slice(0, 200)}`);
  return Number(match[1]);
}

async function main(): Promise<void> {
  const group = new ProcessGroup();
  const server = await startRedis(group);
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    process.stdout.write(`${line}\n`);
  };
  try {
    say(`Run ${new Date().toISOString()}: ${describeMachine()}`);
    say(`${(await server.command('INFO', 'server')).match(/redis_version:[^\r]+/)?.[0] ?? 'redis'} on 127.0.0.1, no persistence; ${rounds} rounds × ${callsPerRound} calls per variant, order alternating`);
    const redis = createRedisStores({ url: server.url, maxBufferedCommands: callsPerRound * 2 + 1_000, sweepIntervalMs: 3_600_000 });
    await redis.ready();
    const variants = [variant('in-process', undefined), variant('redis', redis)];
    for (const kind of ['funnel', 'users'] as const) {
      // Warm-up: JIT, script loading, connection.
      for (const target of variants) await timeCalls(target, -1, kind);
      const results = new Map<string, Timing[]>(variants.map((target) => [target.name, []]));
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? variants : [...variants].reverse();
        for (const target of order) results.get(target.name)?.push(await timeCalls(target, round, kind));
      }
      const local = results.get('in-process') ?? [];
      const shared = results.get('redis') ?? [];
      const what = kind === 'funnel' ? 'funnel step (`funnel.session(key, ctx).step(name)`)' : 'active user (`activeUsers.record(id, tier)`)';
      say('');
      say(`### ${what}`);
      say('');
      say('| store | request path, wall µs per call (median, min–max) | request path, CPU µs per call | until Redis answered, wall µs per call | background flush, CPU µs per call in the app process |');
      say('|---|---:|---:|---:|---:|');
      say(`| in-process | ${spread(local.map((r) => r.sync), 3)} | ${spread(local.map((r) => r.syncCpu), 3)} | ${spread(local.map((r) => r.withFlush), 3)} | – |`);
      say(`| redis | ${spread(shared.map((r) => r.sync), 3)} | ${spread(shared.map((r) => r.syncCpu), 3)} | ${spread(shared.map((r) => r.withFlush), 3)} | ${spread(shared.map((r) => r.flushCpu), 2)} |`);
      const ratios = shared.map((r, i) => r.sync / (local[i]?.sync ?? Number.NaN));
      const cpuRatios = shared.map((r, i) => r.syncCpu / (local[i]?.syncCpu ?? Number.NaN));
      const flushRatios = shared.map((r, i) => r.withFlush / (local[i]?.withFlush ?? Number.NaN));
      say('');
      say(`Request-path ratio redis ÷ in-process (median of per-round ratios): wall **${median(ratios).toFixed(2)}×** (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}), CPU **${median(cpuRatios).toFixed(2)}×** (${Math.min(...cpuRatios).toFixed(2)}–${Math.max(...cpuRatios).toFixed(2)}); until Redis answered everything: ${median(flushRatios).toFixed(1)}× (${Math.min(...flushRatios).toFixed(1)}–${Math.max(...flushRatios).toFixed(1)}).`);
    }
    await redis.close();
    for (const target of variants) await target.runtime.shutdown();

    // Memory: a fresh keyspace, loaded through the stores, measured with INFO memory.
    say('');
    say('### Redis memory');
    say('');
    const loader = createRedisStores({ url: server.url, maxBufferedCommands: 50_000, sweepIntervalMs: 3_600_000 });
    await loader.ready();
    const sessionsRuntime = setupBusinessMetrics({ activeUsers: { store: loader.activeUsersStore } });
    const funnel = sessionsRuntime.funnels.define('checkout', steps, { store: loader.funnelStore, sessionTimeoutMs: 1_800_000 });
    await server.command('FLUSHALL');
    const beforeSessions = await usedMemory(server);
    for (let i = 0; i < memorySessions; i++) {
      const session = funnel.session(`session-${i.toString(36)}-4f6c2a9e`, context);
      session.step('cart_view');
      session.step('shipping_info');
      if (i % 10_000 === 9_999) await loader.flush(120_000);
    }
    await loader.flush(120_000);
    const afterSessions = await usedMemory(server);
    const perSession = (afterSessions - beforeSessions) / memorySessions;
    await server.command('FLUSHALL');
    const beforeUsers = await usedMemory(server);
    const starts = windowStarts(Date.now());
    for (let i = 0; i < memoryUsers; i++) {
      sessionsRuntime.activeUsers?.record(`user-${i}`, 'free');
      if (i % 10_000 === 9_999) await loader.flush(120_000);
    }
    await loader.flush(120_000);
    const afterUsers = await usedMemory(server);
    loader.activeUsersStore.refresh(starts, true);
    await loader.flush(10_000);
    const counted = sessionsRuntime.activeUsers?.estimate('daily', 'free') ?? 0;
    say(`| what | loaded | used_memory before → after (bytes) | per item | per 1M (extrapolated) |`);
    say('|---|---:|---:|---:|---:|');
    say(`| open funnel sessions (2 steps each: hash + sorted-set entry, 20-char session key) | ${memorySessions.toLocaleString('en')} | ${beforeSessions} → ${afterSessions} | ${perSession.toFixed(0)} B | ${((perSession * 1_000_000) / 2 ** 20).toFixed(0)} MiB |`);
    say(`| active users, one tier (3 HyperLogLogs + tier set) | ${memoryUsers.toLocaleString('en')} (PFCOUNT daily: ${counted}) | ${beforeUsers} → ${afterUsers} | ${((afterUsers - beforeUsers) / memoryUsers).toFixed(3)} B | ${((afterUsers - beforeUsers) / 1024).toFixed(1)} KiB per tier (fixed: a dense HyperLogLog is 12 KiB whatever the count) |`);
    await loader.close();
    await sessionsRuntime.shutdown();
  } finally {
    await group.stopAll();
  }
  say('');
  say(`Load average at the end: ${(await import('node:os')).loadavg().map((value) => value.toFixed(2)).join(' ')}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
