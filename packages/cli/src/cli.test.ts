// `main(argv)` in-process: files written, --check drift, bad catalog entries and bad config.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commands, main, type CliCommand, type MainIo } from '@bizmetrics/cli';
import { badEntries, shopCatalog, writeCjsCatalog } from '../test/support/catalogFixtures';

let dir: string;
let out: string[];
let err: string[];

// jest runs this file as CommonJS, where native import() of a file is not available: load fixtures with require.
const io = (): MainIo => ({
  cwd: dir,
  stdout: (text) => out.push(text),
  stderr: (text) => err.push(text),
  importer: async (path) => require(path) as unknown,
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bizmetrics-cli-'));
  out = [];
  err = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writing', () => {
  test('each command writes its default files under the working directory', async () => {
    expect(await main(['docs'], io())).toBe(0);
    expect(await main(['rules'], io())).toBe(0);
    expect(await main(['dashboard'], io())).toBe(0);
    expect(out.join('')).toBe(
      [
        'wrote docs/metrics.md',
        'wrote prometheus/rules/business-recording.yml',
        'wrote prometheus/rules/business-alerts.yml',
        'wrote grafana/business-dashboard.json',
        '',
      ].join('\n'),
    );
    expect(await readFile(join(dir, 'docs/metrics.md'), 'utf8')).toContain('## business_revenue_cents_total');
    expect(JSON.parse(await readFile(join(dir, 'grafana/business-dashboard.json'), 'utf8')).schemaVersion).toBe(39);
  });

  test('--out chooses the path', async () => {
    expect(await main(['docs', '--out', 'out/m.md'], io())).toBe(0);
    expect(await readFile(join(dir, 'out/m.md'), 'utf8')).toMatch(/^# Business metrics/);
    expect(await main(['rules', '--out', 'r'], io())).toBe(0);
    expect(await readFile(join(dir, 'r/business-alerts.yml'), 'utf8')).toContain('alert: ConversionRateDrop');
  });

  test('--catalog adds the user definitions to the built-in ones', async () => {
    const path = await writeCjsCatalog(dir, 'shop', shopCatalog);
    expect(await main(['docs', '--catalog', path], io())).toBe(0);
    const docs = await readFile(join(dir, 'docs/metrics.md'), 'utf8');
    expect(docs).toContain('## shop_refunds_total');
    expect(docs).toContain('## shop_delivery_seconds');
    expect(docs).toContain('## business_funnel_step_total');
  });

  test('dashboard --catalog gives each custom metric a panel, money in the configured currency', async () => {
    const cents = { ...shopCatalog[0], name: 'shop_tips_cents', unit: '{cent}', description: 'Tips left at checkout' };
    const path = await writeCjsCatalog(dir, 'shop', [...shopCatalog, cents]);
    expect(await main(['dashboard', '--catalog', path], io())).toBe(0);
    const dashboard = JSON.parse(await readFile(join(dir, 'grafana/business-dashboard.json'), 'utf8')) as {
      panels: Array<{ title: string; targets: Array<{ expr: string }>; fieldConfig: { defaults: { unit: string } } }>;
    };
    const panel = (title: string) => dashboard.panels.find((candidate) => candidate.title === title);
    expect(panel('shop_refunds per minute')?.targets[0]?.expr).toBe('sum by (reason) (rate(shop_refunds_total{job=~"$service"}[$__rate_interval])) * 60');
    expect(panel('shop_delivery_seconds p95')?.targets[0]?.expr).toContain('rate(shop_delivery_seconds_bucket{job=~"$service"}[$__rate_interval])');
    expect(panel('shop_delivery_seconds p95')?.fieldConfig.defaults.unit).toBe('s');
    expect(panel('shop_tips_cents per minute')?.fieldConfig.defaults.unit).toBe('currencyUSD');
    expect(panel('shop_tips_cents per minute')?.targets[0]?.expr).toMatch(/\) \/ 100$/);
    // The built-in panels are still there.
    expect(panel('Conversion funnel')).toBeDefined();
  });

  test('--no-builtin leaves the guide metrics and their alerts out', async () => {
    const path = await writeCjsCatalog(dir, 'shop', shopCatalog);
    expect(await main(['rules', '--no-builtin', '--catalog', path], io())).toBe(0);
    const alerts = await readFile(join(dir, 'prometheus/rules/business-alerts.yml'), 'utf8');
    expect(alerts).not.toContain('alert:');
    const recording = await readFile(join(dir, 'prometheus/rules/business-recording.yml'), 'utf8');
    expect(recording).toContain('record: reason:shop_refunds:rate5m');
    expect(recording).toContain('record: carrier:shop_delivery_seconds:p95_rate1h');
  });

  test('bizmetrics.alerts.yaml in the working directory is used without --config', async () => {
    await writeFile(join(dir, 'bizmetrics.alerts.yaml'), 'alerts:\n  conversionRateDrop:\n    threshold: 0.05\n    team: checkout\n');
    expect(await main(['rules'], io())).toBe(0);
    const alerts = await readFile(join(dir, 'prometheus/rules/business-alerts.yml'), 'utf8');
    expect(alerts).toContain(') < 0.05\n');
    expect(alerts).toContain('team: checkout');
  });
});

describe('--check', () => {
  test('passes when the files match and writes nothing', async () => {
    await main(['rules'], io());
    out = [];
    expect(await main(['rules', '--check'], io())).toBe(0);
    expect(out.join('')).toContain('up to date');
    expect(err).toEqual([]);
  });

  test('fails with a diff summary naming the file and the changed lines', async () => {
    await main(['rules'], io());
    const alertsPath = join(dir, 'prometheus/rules/business-alerts.yml');
    const committed = await readFile(alertsPath, 'utf8');
    await writeFile(alertsPath, committed.replace('for: 15m', 'for: 5m'));
    expect(await main(['rules', '--check'], io())).toBe(1);
    const message = err.join('');
    expect(message).toContain('prometheus/rules/business-alerts.yml: differs from the generated output (+1 -1 lines)');
    expect(message).toContain('-        for: 5m');
    expect(message).toContain('+        for: 15m');
    expect(message).not.toContain('business-recording.yml');
    expect(await readFile(alertsPath, 'utf8')).toContain('for: 5m');
  });

  test('fails when a file is missing', async () => {
    expect(await main(['dashboard', '--check'], io())).toBe(1);
    expect(err.join('')).toContain('grafana/business-dashboard.json: missing');
  });

  test('catches a config change that the committed files do not reflect', async () => {
    await main(['rules'], io());
    await writeFile(join(dir, 'alerts.yaml'), 'guards:\n  minCartViewsPerHour: 10\n');
    expect(await main(['rules', '--check', '--config', 'alerts.yaml'], io())).toBe(1);
    const message = err.join('');
    expect(message).toContain('(+4 -4 lines)');
    expect(message).toContain('+          sum(rate(business_funnel_step_total{step="cart_view"}[1h])) * 3600 >= 10');
  });
});

describe('bad input exits 2 naming the entry and the field', () => {
  test.each(Object.entries(badEntries))('%s', async (_name, bad) => {
    const path = await writeCjsCatalog(dir, 'bad', [...shopCatalog.filter((entry) => entry.name !== bad.entry.name), bad.entry]);
    for (const command of ['docs', 'rules', 'dashboard']) {
      err = [];
      expect(await main([command, '--catalog', path], io())).toBe(2);
      expect(err.join('')).toContain(`- ${bad.metric}: ${bad.field} `);
    }
  });

  test('an alert threshold of the wrong type', async () => {
    await writeFile(join(dir, 'alerts.yaml'), 'alerts:\n  conversionRateDrop:\n    threshold: "2%"\n');
    expect(await main(['rules', '--config', 'alerts.yaml'], io())).toBe(2);
    const message = err.join('');
    expect(message).toContain('alerts.yaml');
    expect(message).toContain('alerts.conversionRateDrop.threshold: Invalid input: expected number, received string');
  });

  test('a misspelt key and a bad duration', async () => {
    await writeFile(join(dir, 'alerts.yaml'), 'alerts:\n  highCartAbandonment:\n    treshold: 0.9\n    for: soon\n');
    expect(await main(['rules', '--config', 'alerts.yaml'], io())).toBe(2);
    const message = err.join('');
    expect(message).toContain('alerts.highCartAbandonment: Unrecognized key: "treshold"');
    expect(message).toContain('alerts.highCartAbandonment.for: must be a Prometheus duration');
  });

  test('a ratio threshold out of range', async () => {
    await writeFile(join(dir, 'alerts.yaml'), 'alerts:\n  conversionRateDrop:\n    threshold: 2\n');
    expect(await main(['rules', '--config', 'alerts.yaml'], io())).toBe(2);
    expect(err.join('')).toContain('alerts.conversionRateDrop.threshold: must be a ratio between 0 and 1');
  });

  test('a config file that is not YAML, or not there', async () => {
    await writeFile(join(dir, 'alerts.yaml'), 'alerts: [unclosed\n');
    expect(await main(['rules', '--config', 'alerts.yaml'], io())).toBe(2);
    expect(err.join('')).toContain('alerts.yaml: not valid YAML');
    err = [];
    expect(await main(['rules', '--config', 'nope.yaml'], io())).toBe(2);
    expect(err.join('')).toContain('cannot read config file');
  });

  test('a catalog module that does not export an array', async () => {
    const path = join(dir, 'object.cjs');
    await writeFile(path, 'module.exports = { name: "x" };\n');
    expect(await main(['docs', '--catalog', path], io())).toBe(2);
    expect(err.join('')).toContain('expected the module to export an array of MetricDefinition');
  });

  test('an unknown command or option', async () => {
    expect(await main(['publish'], io())).toBe(2);
    expect(err.join('')).toContain("unknown command 'publish'");
    expect(await main(['docs', '--outt', 'x'], io())).toBe(2);
    expect(err.join('')).toContain("unknown option '--outt'");
  });
});

test('--version prints the package version and exits 0', async () => {
  const { version } = JSON.parse(await readFile(join(__dirname, '../package.json'), 'utf8')) as { version: string };
  expect(await main(['--version'], io())).toBe(0);
  expect(out.join('')).toBe(`${version}\n`);
  expect(await main(['-V'], io())).toBe(0);
});

test('help lists every command and exits 0', async () => {
  expect(await main(['--help'], io())).toBe(0);
  for (const command of commands) expect(out.join('')).toContain(command.name);
});

test('a new subcommand is one more entry in the list', async () => {
  const hello: CliCommand = {
    name: 'hello',
    register(program, context) {
      program.command('hello').action(() => context.stdout('hello\n'));
    },
  };
  expect(await main(['hello'], { ...io(), commands: [...commands, hello] })).toBe(0);
  expect(out).toEqual(['hello\n']);
});
