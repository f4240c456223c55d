import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const shopDir = path.join(__dirname, '../..');

/** Pids of every process on the machine whose environment carries this demo run's marker. */
export function processesOfRun(runId: string): number[] {
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

/** Starts the built demo (embedded path unless `--stack` is passed) with a run marker. */
export function startDemo(buildDir: string, args: string[], runId: string) {
  const pathFlag = args.includes('--stack') ? [] : ['--no-stack'];
  const child = spawn(process.execPath, [path.join(buildDir, 'demo.js'), ...pathFlag, '--port', '0', '--interval', '2', '--rate', '8', '--think-scale', '0.2', ...args], {
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
