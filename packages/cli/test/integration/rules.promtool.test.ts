// The committed rule files through the real promtool: `check rules`, the unit tests, and proof that
// the unit tests notice a wrong threshold or a missing guard.
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '@bizmetrics/cli';
import { promtool } from '../support/promtool';
import { repoRoot, ruleTestsDir, rulesDir } from '../support/repoPaths';

jest.setTimeout(120_000);

async function testFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.test.yml')).map((name) => join(dir, name));
}

test('the committed rule files are what the generator writes', async () => {
  const stderr: string[] = [];
  const code = await main(['rules', '--check', '--out', rulesDir], { cwd: repoRoot, stderr: (text) => stderr.push(text), stdout: () => undefined });
  expect(stderr.join('')).toBe('');
  expect(code).toBe(0);
});

test('promtool check rules accepts both generated files', () => {
  const result = promtool(['check', 'rules', join(rulesDir, 'business-recording.yml'), join(rulesDir, 'business-alerts.yml')]);
  // promtool must find every rule the files declare (one per catalog-derived recording rule, five alerts).
  const declared = (file: string, key: string) => readFileSync(join(rulesDir, file), 'utf8').split(`- ${key}: `).length - 1;
  expect(declared('business-recording.yml', 'record')).toBeGreaterThanOrEqual(12);
  expect(result.output).toContain(`SUCCESS: ${declared('business-recording.yml', 'record')} rules found`);
  expect(result.output).toContain(`SUCCESS: ${declared('business-alerts.yml', 'alert')} rules found`);
  expect(result.code).toBe(0);
});

test('promtool test rules passes every unit test', async () => {
  const files = await testFiles(ruleTestsDir);
  expect(files.length).toBe(3);
  const result = promtool(['test', 'rules', ...files]);
  expect(result.output).not.toContain('FAILED');
  expect(result.code).toBe(0);
});

describe('the unit tests catch a broken rule', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bizmetrics-rules-'));
    await cp(ruleTestsDir, join(dir, 'tests'), { recursive: true });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // Each mutation moves one setting so that a "fires" or a "stays quiet" case must flip.
  test.each([
    ['ConversionRateDrop', 'alerts:\n  conversionRateDrop: { threshold: 0.022 }\n'],
    ['ConversionRateDrop', 'alerts:\n  conversionRateDrop: { for: 30m }\n'],
    ['RevenueBelowBaseline', 'alerts:\n  revenueBelowBaseline: { threshold: 52000 }\n'],
    ['HighCartAbandonment', 'alerts:\n  highCartAbandonment: { threshold: 0.84 }\n'],
    ['NewUserEngagementDrop', 'alerts:\n  newUserEngagementDrop: { threshold: 0.72 }\n'],
    ['BusinessMetricsAbsent', 'alerts:\n  businessMetricsAbsent: { for: 30m }\n'],
    ['ConversionRateDrop', 'guards:\n  minCartViewsPerHour: 0\n'],
    ['NewUserEngagementDrop', 'guards:\n  minNewUserFeatureUsesPerDay: 0\n'],
  ])('%s with %j', async (alertname, configYaml) => {
    await writeFile(join(dir, 'config.yaml'), configYaml);
    const code = await main(['rules', '--config', 'config.yaml', '--out', '.'], { cwd: dir, stdout: () => undefined });
    expect(code).toBe(0);
    // Only the file that tests this alert, to keep the run short.
    const file = alertname === 'NewUserEngagementDrop' ? 'business-alerts-weekly.test.yml' : 'business-alerts.test.yml';
    const result = promtool(['test', 'rules', join(dir, 'tests', file)]);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(`alertname: ${alertname}`);
  });
});
