import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildShop } from './shopHarness';

const shopDir = path.join(__dirname, '..');
let buildDir = '';

/** Pids of every process on the machine whose environment carries this demo run's marker. */
function processesOfRun(runId: string): number[] {
  const marker = `BIZMETRICS_DEMO_RUN=${runId}`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(marker)) pids.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

/** Starts the built demo (embedded path) with a run marker; resolves with its output and exit code. */
function startDemo(args: string[], runId: string) {
  const child = spawn(process.execPath, [path.join(buildDir, 'demo.js'), '--no-stack', '--port', '0', '--interval', '2', '--rate', '8', '--think-scale', '0.2', ...args], {
    cwd: shopDir,
    env: { ...process.env, BIZMETRICS_DEMO_RUN: runId },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe('the demo, embedded path', () => {
  beforeAll(() => {
    buildDir = buildShop('demo-test');
  });

  it('prints the guide\'s KPIs from the scrape and exits by itself after --duration, leaving no process behind', async () => {
    const runId = randomUUID();
    const demo = startDemo(['--duration', '8'], runId);
    const code = await demo.exited;
    const output = demo.output();
    expect(code).toBe(0);
    expect(output).toContain('embedded path');
    expect(output).toMatch(/\/metrics +http:\/\/127\.0\.0\.1:\d+\/metrics/);
    // At least one summary with numbers in every KPI (8 shoppers/s for 8 s reach checkout).
    expect(output).toMatch(/conversion rate +\d+\.\d %/);
    expect(output).toMatch(/cart abandonment +\d+\.\d %/);
    expect(output).toMatch(/revenue per minute +\$\d+\.\d\d total · [a-z_]+ \$\d+\.\d\d/);
    expect(output).toMatch(/average order value +\$\d+\.\d\d mean · median by category: [a-z]+ \$\d+\.\d\d/);
    expect(output).toMatch(/checkout errors +\d+\.\d per minute/);
    expect(output).toMatch(/8 s elapsed: stopping shop \(pid \d+\), traffic \(pid \d+\)/);
    expect(processesOfRun(runId)).toEqual([]);
  });

  it('stops everything it started on SIGINT', async () => {
    const runId = randomUUID();
    const demo = startDemo([], runId);
    // Wait for the first summary: the shop and the traffic generator are running then.
    const deadline = Date.now() + 20_000;
    while (!demo.output().includes('── KPIs') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(demo.output()).toContain('── KPIs');
    const children = processesOfRun(runId).filter((pid) => pid !== demo.child.pid);
    expect(children.length).toBeGreaterThanOrEqual(2); // shop + traffic
    demo.child.kill('SIGINT');
    expect(await demo.exited).toBe(0);
    expect(demo.output()).toMatch(/interrupted: stopping shop \(pid \d+\), traffic \(pid \d+\)/);
    expect(processesOfRun(runId)).toEqual([]);
  });

  it('leaves no shop or traffic generator behind even when the demo itself is SIGKILLed', async () => {
    const runId = randomUUID();
    const demo = startDemo([], runId);
    const deadline = Date.now() + 20_000;
    while (!demo.output().includes('── KPIs') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(demo.output()).toContain('── KPIs');
    demo.child.kill('SIGKILL');
    await demo.exited;
    // No cleanup code ran: the children notice their closed stdin lifeline and stop themselves.
    const gone = Date.now() + 10_000;
    while (processesOfRun(runId).length > 0 && Date.now() < gone) await new Promise((r) => setTimeout(r, 100));
    expect(processesOfRun(runId)).toEqual([]);
  });
});
