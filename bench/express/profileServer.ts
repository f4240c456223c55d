// Profiles one variant's server child of middlewareThroughput.ts under autocannon load: writes a
// V8 CPU profile (`node --cpu-prof`) of the server process to --dir, prints its top functions, and
// the share of the server's busy CPU spent in the middleware's own code. That share is attributed
// sample by sample (the nearest JavaScript frame outside Node's internals decides who a sample
// belongs to), so other jobs on the machine change it far less than they change req/s or CPU time.
//
//   tsx --tsconfig bench/express/tsconfig.json bench/express/profileServer.ts --variant bizmetrics [--seconds 5] [--dir /tmp/prof] [--top 30]
import { fork } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { firstSeenCookie, mobileUserAgent as userAgent } from './requestFixture';

const scriptDir = path.dirname(path.resolve(process.argv[1] as string));
const requireFromAdapters = createRequire(path.resolve(scriptDir, '../../packages/adapters/package.json'));
const option = (name: string, fallback: string): string => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : (process.argv[index + 1] as string);
};
const variant = option('variant', 'bizmetrics');
const seconds = Number(option('seconds', '5'));
const dir = path.resolve(option('dir', `/tmp/bizmetrics-prof-${variant}`));

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount: number; children?: number[] }

// Code that belongs to each middleware (its own package and what only it uses).
const middlewareCode: Record<string, RegExp> = {
  bizmetrics: /packages\/(adapters|core)\/|@opentelemetry|bowser|lru-cache/,
  'prom-bundle': /express-prom-bundle|prom-client|url-value-parser|on-finished|on-headers|url-pattern|tdigest|bintrees/,
};
middlewareCode['bizmetrics-lazy'] = middlewareCode['bizmetrics'] as RegExp;
middlewareCode['bizmetrics-context-only'] = middlewareCode['bizmetrics'] as RegExp;

/** Share of busy samples (not idle, not `(program)`) whose nearest non-Node JavaScript frame matches `code`. */
function middlewareShare(nodes: readonly ProfileNode[], code: RegExp): { busy: number; share: number; gc: number } {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  let busy = 0;
  let ours = 0;
  let gc = 0;
  for (const node of nodes) {
    const name = node.callFrame.functionName;
    if (name === '(idle)' || name === '(program)' || name === '(root)') continue;
    busy += node.hitCount;
    if (name === '(garbage collector)') gc += node.hitCount;
    for (let id: number | undefined = node.id; id !== undefined; id = parentOf.get(id)) {
      const url = (byId.get(id) as ProfileNode).callFrame.url;
      if (url === '' || url.startsWith('node:')) continue;
      if (code.test(url)) ours += node.hitCount;
      break;
    }
  }
  return { busy, share: ours / Math.max(1, busy), gc: gc / Math.max(1, busy) };
}

async function main(): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const child = fork(path.join(scriptDir, 'middlewareThroughput.ts'), ['--serve', variant], {
    execArgv: [...process.execArgv, '--cpu-prof', `--cpu-prof-dir=${dir}`],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve) => child.once('message', (message: { port: number }) => resolve(message.port)));
  const autocannon = requireFromAdapters('autocannon') as typeof import('autocannon');
  let counter = 0;
  const run = (duration: number) =>
    autocannon({
      url: `http://127.0.0.1:${port}`,
      connections: 32,
      duration,
      headers: { 'user-agent': userAgent, referer: `http://127.0.0.1:${port}/products`, cookie: `${firstSeenCookie(Date.now())}; theme=dark` },
      requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: `/products/${(counter++ % 1000) + 1}` }) }],
    });
  await run(2); // warm-up (JIT, caches), not measured
  const result = await run(seconds);
  process.stdout.write(`${variant}: ${result.requests.average} req/s\n`);
  // SIGINT lets node write the profile on exit (SIGTERM handler in the child calls process.exit).
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  const file = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile')).sort().pop() as string;
  const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };
  const total = profile.nodes.reduce((sum, node) => sum + node.hitCount, 0);
  const self = new Map<string, number>();
  for (const node of profile.nodes) {
    const key = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/packages\//, 'packages/')}:${node.callFrame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + node.hitCount);
  }
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(option('top', '40')));
  for (const [name, hits] of top) process.stdout.write(`${((hits / total) * 100).toFixed(1).padStart(5)} %  ${name}\n`);
  const code = middlewareCode[variant];
  if (code !== undefined) {
    const { busy, share, gc } = middlewareShare(profile.nodes, code);
    process.stdout.write(`${variant}: ${(share * 100).toFixed(1)} % of ${busy} busy samples in the middleware's code (garbage collector ${(gc * 100).toFixed(1)} %, not attributed)\n`);
  }
  // Busy JavaScript time per request over the measured run only: the profile's last `seconds` (the
  // process exits right after the run), so start-up and warm-up are left out.
  const idleIds = new Set(profile.nodes.filter((node) => ['(idle)', '(program)', '(root)'].includes(node.callFrame.functionName)).map((node) => node.id));
  let at = profile.startTime;
  const stamps = profile.timeDeltas.map((delta) => (at += delta));
  const from = profile.endTime - seconds * 1e6;
  let busyMicros = 0;
  for (let i = 1; i < profile.samples.length; i++) {
    if ((stamps[i] as number) >= from && !idleIds.has(profile.samples[i] as number)) busyMicros += (stamps[i] as number) - (stamps[i - 1] as number);
  }
  process.stdout.write(`${variant}: ${(busyMicros / result.requests.total).toFixed(1)} µs of sampled busy JavaScript per request over the measured run (${result.requests.total} requests)\n`);
  process.stdout.write(`profile: ${path.join(dir, file)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
