// The generated dashboard as Grafana reads it: tsc checks the JSON against Grafana's own published
// schema types (`@grafana/schema`'s Dashboard), for the built-in catalog and with a catalog of yours.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MetricDefinition } from '@bizmetrics/core';
import { businessCatalog } from '@bizmetrics/core';
import { generateDashboard, renderDashboard } from '../../src/dashboard/generateDashboard';
import { parseGeneratorConfig } from '../../src/config/parseGeneratorConfig';
import { shopCatalog } from '../support/catalogFixtures';

const tsc = require.resolve('typescript/bin/tsc');

/**
 * Writes each dashboard's JSON text as the initializer of a `Dashboard` constant and runs tsc.
 * The text is pasted rather than imported: a JSON import widens `"query"` to `string`, which no
 * union of literals accepts, while an object literal is checked field by field like Grafana reads it.
 */
async function typeCheckAsGrafanaDashboards(dashboards: Record<string, string>): Promise<{ status: number | null; output: string }> {
  // Inside the package, so `@grafana/schema` resolves from its node_modules.
  const dir = await mkdtemp(join(__dirname, '.schema-check-'));
  try {
    const checks: string[] = ["import type { Dashboard } from '@grafana/schema';"];
    for (const [name, json] of Object.entries(dashboards)) {
      checks.push(`export const ${name}: Dashboard = ${json.trim()};`);
    }
    await writeFile(join(dir, 'check.ts'), `${checks.join('\n')}\n`);
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: true, types: [] },
        files: ['check.ts'],
      }),
    );
    const result = spawnSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8', timeout: 120_000 });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('the generated dashboard against @grafana/schema', () => {
  it('type-checks as a Dashboard, built-in catalog and with custom metrics', async () => {
    const catalog = [...businessCatalog, ...(shopCatalog as unknown as MetricDefinition[])];
    const result = await typeCheckAsGrafanaDashboards({
      builtin: renderDashboard(generateDashboard(businessCatalog)),
      custom: renderDashboard(generateDashboard(catalog, parseGeneratorConfig({ dashboard: { currency: 'EUR' } }))),
    });
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  }, 120_000);

  it('fails the check on what Grafana rejects (the check can fail)', async () => {
    const dashboard = JSON.parse(renderDashboard(generateDashboard(businessCatalog))) as { templating: { list: Array<Record<string, unknown>> } };
    dashboard.templating.list[0] = { ...dashboard.templating.list[0], current: {} };
    const result = await typeCheckAsGrafanaDashboards({ broken: JSON.stringify(dashboard) });
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/missing the following properties from type 'VariableOption'/);
  }, 120_000);
});

describe('money panels', () => {
  const panels = generateDashboard(businessCatalog).panels;
  const byTitle = (title: string) => panels.find((panel) => panel.title === title);

  it('show revenue and order value in dollars, not a count of cents', () => {
    for (const title of ['Revenue per minute by region', 'Order value quantiles by category']) {
      const panel = byTitle(title);
      expect(panel?.fieldConfig.defaults['unit']).toBe('currencyUSD');
      for (const target of panel?.targets ?? []) expect(target.expr).toMatch(/\/ 100$/);
    }
  });

  it('follow dashboard.currency, with the currency\'s own minor unit', () => {
    const yen = generateDashboard(businessCatalog, parseGeneratorConfig({ dashboard: { currency: 'JPY' } })).panels;
    const revenue = yen.find((panel) => panel.title === 'Revenue per minute by region');
    expect(revenue?.fieldConfig.defaults['unit']).toBe('currencyJPY');
    expect(revenue?.targets[0]?.expr).not.toMatch(/\/ 100/);
    const canadian = generateDashboard(businessCatalog, parseGeneratorConfig({ dashboard: { currency: 'CAD' } })).panels;
    expect(canadian.find((panel) => panel.title === 'Revenue per minute by region')?.fieldConfig.defaults['unit']).toBe('suffix: CAD');
  });
});
