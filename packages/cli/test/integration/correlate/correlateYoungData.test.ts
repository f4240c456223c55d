// `bizmetrics correlate` with its defaults (7d at 5m) against a Prometheus that has minutes of data:
// it says the range holds too little data and what to pass, and what it suggests works.
import { CommanderError } from 'commander';
import { startBackfilledPrometheus, type RunningPrometheus } from '@bizmetrics/test-support';
import { correlateCommand } from '../../../src/commands/correlateCommand';

jest.setTimeout(60_000);

const minutes = 8;
const everySeconds = 15;
let prometheus: RunningPrometheus;

/** Two gauges sampled every 15 s for the last 8 minutes: a Prometheus started a few minutes ago. */
function youngHistory(now: number): string {
  const lines = ['# TYPE young_latency_seconds gauge'];
  const conversion = ['# TYPE young_conversion_percent gauge'];
  const first = Math.floor(now - minutes * 60);
  for (let t = first, i = 0; t <= now - everySeconds; t += everySeconds, i++) {
    const latency = 0.2 + 0.1 * Math.sin(i / 3) + 0.02 * ((i * 7) % 5);
    lines.push(`young_latency_seconds ${latency.toFixed(4)} ${t}`);
    conversion.push(`young_conversion_percent ${(3 - 4 * (latency - 0.2)).toFixed(4)} ${t}`);
  }
  return `${[...lines, ...conversion].join('\n')}\n# EOF\n`;
}

beforeAll(async () => {
  prometheus = await startBackfilledPrometheus(youngHistory(Date.now() / 1000));
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
});

async function runCli(args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  let stdout = '';
  let stderr = '';
  const command = correlateCommand();
  command.exitOverride();
  command.configureOutput({ writeOut: (text) => (stdout += text), writeErr: (text) => (stderr += text) });
  try {
    await command.parseAsync(args, { from: 'user' });
    return { stdout, stderr, exitCode: 0 };
  } catch (error) {
    if (error instanceof CommanderError) return { stdout, stderr, exitCode: error.exitCode };
    throw error;
  }
}

const queries = ['--technical', 'young_latency_seconds', '--business', 'young_conversion_percent'];

it('with the defaults, says the range holds too little data and what to pass, not "check the metric name"', async () => {
  const { stderr, exitCode } = await runCli(['--prometheus', prometheus.url, ...queries]);
  expect(exitCode).toBe(1);
  expect(stderr).not.toMatch(/check the metric name/);
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).toMatch(/^error: the range holds too little data: both queries have values only since \S+Z \(the last [3-8]m\d*s?\), about [0-9] point\(s\) at --step 5m/);
  expect(stderr).toMatch(/over --range 7d \(at least 10 are needed\): pass --range [3-8]m --step (1|5|15)s --max-lag \S+, or wait/);
});

it('the suggested flags give a report', async () => {
  const first = await runCli(['--prometheus', prometheus.url, ...queries]);
  const suggested = /pass (--range \S+ --step \S+ --max-lag \S+),/.exec(first.stderr)?.[1];
  expect(suggested).toBeDefined();
  const { stdout, stderr, exitCode } = await runCli(['--prometheus', prometheus.url, ...queries, ...(suggested ?? '').split(' '), '--json']);
  expect(stderr).toBe('');
  expect(exitCode).toBe(0);
  const report = JSON.parse(stdout) as { correlation: { pearson: number } };
  expect(report.correlation.pearson).toBeLessThan(-0.9);
});

it('a metric that does not exist still gets "check the metric name"', async () => {
  const { stderr, exitCode } = await runCli(['--prometheus', prometheus.url, '--technical', 'young_latency_seconds', '--business', 'young_typo_percent']);
  expect(exitCode).toBe(1);
  expect(stderr).toMatch(/the business query returned no data .*: check the metric name/);
});
