// The correlation command against a real Prometheus holding backfilled history with planted relationships.
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { main } from '../../../src/cli';
import { correlateCommand } from '../../../src/commands/correlateCommand';
import { CorrelateError } from '../../../src/correlate/correlateError';
import { correlateMetrics } from '../../../src/correlate/correlateMetrics';
import type { CorrelationReport } from '../../../src/correlate/correlationReport';
import { findFreePort, runCommand, startBackfilledPrometheus, type CommandResult, type RunningPrometheus } from '@bizmetrics/test-support';
import type { History } from './syntheticHistory';
import { buildHistory, planted, plantedPearson } from './syntheticHistory';

jest.setTimeout(60_000);

let prometheus: RunningPrometheus;
let history: History;

beforeAll(async () => {
  history = buildHistory(Date.now() / 1000);
  prometheus = await startBackfilledPrometheus(history.openMetrics);
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
});

function window() {
  return { end: new Date(history.end * 1000), range: '2d', step: '1m' };
}

/** Runs the subcommand in-process with commander's exit turned into an exception, capturing both streams. */
async function runCli(args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const command = correlateCommand();
  let stdout = '';
  let stderr = '';
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

describe('planted relationships', () => {
  let lagged: CorrelationReport;

  beforeAll(async () => {
    lagged = await correlateMetrics({
      prometheusUrl: prometheus.url,
      technical: { query: 'corr_lag_latency_seconds', name: 'p99 latency', unit: 'ms', scale: 1000, per: 100 },
      business: { query: 'corr_lag_conversion_percent', name: 'conversion rate', unit: 'points' },
      maxLag: '30m',
      ...window(),
    });
  });

  it('finds the strong negative coefficient at the planted 10-minute lag', () => {
    expect(lagged.lag.seconds).toBe(planted.lagSeconds);
    expect(lagged.lag.tested).toBe(31);
    expect(plantedPearson).toBeCloseTo(-0.894, 3);
    expect(lagged.correlation.pearson).toBeGreaterThan(plantedPearson - 0.03);
    expect(lagged.correlation.pearson).toBeLessThan(plantedPearson + 0.03);
    expect(lagged.correlation.spearman).toBeLessThan(-0.8);
    expect(lagged.correlation.interval95[0]).toBeLessThan(lagged.correlation.pearson);
    expect(lagged.correlation.interval95[1]).toBeGreaterThan(lagged.correlation.pearson);
    expect(lagged.correlation.pValueAdjusted).toBeLessThan(1e-6);
    expect(lagged.correlation.strength).toBe('strong');
    expect(lagged.correlation.summary).toBe('Strong negative impact on conversion rate');
    // Without the lag search the relationship is invisible: AR(0.5) latency keeps only 0.5^10 of it.
    expect(Math.abs(lagged.atZeroLag.pearson)).toBeLessThan(0.1);
  });

  it('aligns every minute of the window and drops nothing when nothing is missing', () => {
    expect(lagged.points.expected).toBe(2 * 24 * 60 + 1);
    expect(lagged.points.aligned).toBe(lagged.points.expected);
    expect(lagged.correlation.n).toBe(lagged.points.expected - 10);
  });

  it('estimates the planted slope in business units: 0.8 points per 100 ms', () => {
    const impact = lagged.impact;
    expect(impact).toBeDefined();
    // slope is in points per ms after scaling: −8 points/s = −0.008 points/ms.
    expect(impact?.slope).toBeGreaterThan(-0.008 * 1.1);
    expect(impact?.slope).toBeLessThan(-0.008 * 0.9);
    expect(impact?.baselineTechnical).toBeGreaterThan(240);
    expect(impact?.baselineTechnical).toBeLessThan(260);
    expect(impact?.statement).toMatch(/^conversion rate falls 0\.(7|8|9)\d* points per 100 ms of p99 latency above baseline .*, 10m later$/);
  });

  it('calls an independent pair not significant or weak', async () => {
    const report = await correlateMetrics({
      prometheusUrl: prometheus.url,
      technical: 'corr_none_latency_seconds',
      business: 'corr_none_conversion_percent',
      maxLag: '30m',
      ...window(),
    });
    expect(Math.abs(report.correlation.pearson)).toBeLessThan(0.1);
    // The best of 31 lags is picked; only the Bonferroni-adjusted p keeps that from reading as an effect.
    expect(report.correlation.pValueAdjusted).toBeGreaterThanOrEqual(0.05);
    expect(report.correlation.strength).toBe('not significant');
    expect(report.correlation.summary).toBe('No significant correlation with corr_none_conversion_percent');
    expect(report.impact).toBeUndefined();
  });

  it('drops the pairs lost to gaps and NaN and still finds the relationship', async () => {
    const report = await correlateMetrics({
      prometheusUrl: prometheus.url,
      technical: 'corr_gap_latency_seconds',
      business: 'corr_gap_conversion_percent',
      maxLag: '0',
      ...window(),
    });
    const { technical: holeMinutes, gaps, businessNaN, droppedAtLeast, droppedAtMost } = history.gapMinutes;
    expect(gaps).toBe(8);
    expect(holeMinutes).toBe(gaps * 30);
    // Prometheus' 5-minute lookback carries the last sample into the start of each hole.
    const lookback = 5;
    expect(report.points.business).toBe(report.points.expected - businessNaN);
    expect(report.points.technical).toBeLessThanOrEqual(report.points.expected - holeMinutes + gaps * lookback);
    expect(report.points.technical).toBeGreaterThanOrEqual(report.points.expected - holeMinutes);
    expect(report.points.dropped).toBeGreaterThanOrEqual(droppedAtLeast);
    expect(report.points.dropped).toBeLessThanOrEqual(droppedAtMost);
    expect(report.points.aligned + report.points.dropped).toBe(report.points.expected);
    expect(report.lag.seconds).toBe(0);
    expect(report.lag.tested).toBe(1);
    expect(report.correlation.pValueAdjusted).toBe(report.correlation.pValue);
    expect(report.correlation.pearson).toBeGreaterThan(plantedPearson - 0.03);
    expect(report.correlation.pearson).toBeLessThan(plantedPearson + 0.03);
  });
});

describe('the latency-vs-conversion preset on the Express adapter and guide metric names', () => {
  it('runs both preset queries verbatim and reports the strong negative impact', async () => {
    const { stdout, exitCode, stderr } = await runCli([
      '--prometheus',
      prometheus.url,
      '--preset',
      'latency-vs-conversion',
      '--range',
      '2d',
      '--step',
      '5m',
      '--max-lag',
      '30m',
      '--end',
      String(history.end),
      '--json',
    ]);
    expect(stderr).toBe('');
    expect(exitCode).toBe(0);
    const report = JSON.parse(stdout) as CorrelationReport;
    expect(report.technical.query).toBe('histogram_quantile(0.99, sum by (le) (rate(http_server_request_duration_bucket[5m])))');
    expect(report.business.query).toContain('business_funnel_step_total{step="order_confirmed"}[1h]');
    expect(report.points.aligned).toBe(577);
    expect(report.correlation.pearson).toBeLessThan(-0.7);
    expect(report.correlation.strength).toBe('strong');
    expect(report.impact?.statement).toMatch(/^conversion rate falls [\d.]+ points per 100 ms of p99 latency above baseline/);
  });

  it('prints a readable report', async () => {
    const { stdout, exitCode } = await runCli([
      '--prometheus',
      prometheus.url,
      '--technical',
      'corr_lag_latency_seconds',
      '--business',
      'corr_lag_conversion_percent',
      '--technical-name',
      'p99 latency',
      '--technical-unit',
      'ms',
      '--technical-scale',
      '1000',
      '--technical-per',
      '100',
      '--business-name',
      'conversion rate',
      '--business-unit',
      'points',
      '--range',
      '2d',
      '--step',
      '1m',
      '--end',
      new Date(history.end * 1000).toISOString(),
    ]);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('Strongest at business 10m behind technical (searched 0–30m)');
    expect(stdout).toMatch(/Pearson r +-0\.(8|9)\d/);
    expect(stdout).toContain('Verdict: Strong negative impact on conversion rate');
    expect(stdout).toMatch(/Impact: +conversion rate falls 0\.\d+ points per 100 ms of p99 latency/);
  });
});

describe('bad input gets a one-line error that says what to do', () => {
  const base = () => ['--range', '2d', '--step', '1m', '--end', String(history.end), '--prometheus', prometheus.url];

  it.each([
    {
      what: 'a PromQL syntax error',
      args: ['--technical', 'sum(rate(corr_lag_latency_seconds[5m]', '--business', 'corr_lag_conversion_percent'],
      message: /^error: the technical query was refused by Prometheus \(bad_data: .*parse error.*\): fix the PromQL/,
    },
    {
      what: 'several series where one is needed',
      args: ['--technical', 'corr_multi_latency_seconds', '--business', 'corr_lag_conversion_percent'],
      message: /^error: the technical query returned 2 series \(.*instance="a".*\) but one is needed: aggregate it, e\.g\. sum\(\.\.\.\)/,
    },
    {
      what: 'a query with no data in the range',
      args: ['--technical', 'corr_lag_latency_seconds', '--business', 'corr_does_not_exist'],
      message: /^error: the business query returned no data between .* and .*: check the metric name/,
    },
    {
      what: 'too few aligned points',
      args: ['--technical', 'corr_short_latency_seconds', '--business', 'corr_short_conversion_percent', '--range', '3d', '--step', '1m'],
      message: /^error: only \d timestamps have both a technical and a business value \(at least 10 are needed\): widen --range/,
    },
    {
      what: 'a missing query',
      args: ['--technical', 'corr_lag_latency_seconds'],
      message: /^error: --business is missing: give a PromQL query or a --preset/,
      exit: 2,
    },
    {
      what: 'a window over Prometheus’ point limit',
      args: ['--preset', 'latency-vs-conversion', '--range', '30d', '--step', '1m'],
      message: /^error: --range 30d at --step 1m is 43201 points per series, over Prometheus' limit of 11000: raise --step to at least 4m/,
      exit: 2,
    },
  ])('$what', async ({ args, message, ...expected }) => {
    const { stderr, exitCode } = await runCli([...base(), ...args]);
    // Usage errors (an option value that cannot work) exit 2, failures to make a report 1, as the README says.
    expect(exitCode).toBe('exit' in expected ? expected.exit : 1);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
  });

  it('with --json, also prints the error as JSON on stdout for scripts', async () => {
    const { stdout, stderr, exitCode } = await runCli([
      ...base(),
      ...['--technical', 'corr_multi_latency_seconds', '--business', 'corr_lag_conversion_percent', '--json'],
    ]);
    expect(exitCode).toBe(1);
    expect(stderr).toMatch(/^error: the technical query returned 2 series/);
    expect(JSON.parse(stdout)).toEqual({ error: { code: 'several-series', message: expect.stringMatching(/aggregate it/) } });
  });

  it('an unknown --preset is a usage error: exit 2 naming the choices', async () => {
    // Through main(), as the bin runs it: commander's own usage errors map to 2 there.
    let stderr = '';
    const exitCode = await main(['correlate', ...base(), '--preset', 'latency-vs-happiness'], { stdout: () => {}, stderr: (text) => (stderr += text) });
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/argument 'latency-vs-happiness' is invalid\. Allowed choices are latency-vs-conversion, /);
  });

  it('an unreachable server', async () => {
    const closedPort = await findFreePort();
    const { stderr, exitCode } = await runCli([
      ...base(),
      '--prometheus',
      `http://127.0.0.1:${closedPort}`,
      '--preset',
      'latency-vs-conversion',
    ]);
    expect(exitCode).toBe(1);
    expect(stderr).toMatch(/^error: cannot reach Prometheus at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\): check --prometheus and that the server is up\n$/);
  });

  it('the API throws a typed CorrelateError', async () => {
    await expect(
      correlateMetrics({ prometheusUrl: prometheus.url, technical: 'corr_multi_latency_seconds', business: 'corr_lag_conversion_percent', ...window() }),
    ).rejects.toMatchObject({ name: 'CorrelateError', code: 'several-series' });
    await expect(
      correlateMetrics({ prometheusUrl: prometheus.url, technical: 'up', business: 'up', ...window(), minPoints: 3 }),
    ).rejects.toBeInstanceOf(CorrelateError);
  });
});

describe('the command as a process', () => {
  it('exits non-zero with the one-line error, and zero with the JSON report', async () => {
    const entry = join(__dirname, 'correlateMain.ts');
    const failing = await runProcess([entry, '--prometheus', prometheus.url, ...['--technical', 'sum(', '--business', 'up']]);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toMatch(/^error: the technical query was refused by Prometheus \(bad_data: .*\): fix the PromQL .*\n$/);

    const passing = await runProcess([
      entry,
      ...['--prometheus', prometheus.url, '--technical', 'corr_lag_latency_seconds', '--business', 'corr_lag_conversion_percent'],
      ...['--range', '2d', '--step', '1m', '--end', String(history.end), '--json'],
    ]);
    expect(passing.stderr).toBe('');
    expect(passing.code).toBe(0);
    expect((JSON.parse(passing.stdout) as CorrelationReport).lag.seconds).toBe(600);
  });
});

function runProcess(args: string[]): Promise<CommandResult> {
  return runCommand(process.execPath, [require.resolve('tsx/cli'), ...args], undefined, 60_000);
}
