import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createProject, npmInstall, packPublishable, repoRoot, run, runOk, removeCreated } from './consumerProject';

// Issue 17 Must 6 and 7: a React-only app installs @bizmetrics/adapters without the OpenTelemetry
// SDK, zod or the core (optional peers), and Vite builds it. The adapter's share of the bundle is
// the difference to the same app without it; the figures land in artifacts/ for the README.
jest.setTimeout(300000);

const indexHtml = '<!doctype html><html><body><div id="root"></div><script type="module" src="./main.js"></script></body></html>\n';
const withAdapter = `
import { createElement as h } from 'react';
import { createRoot } from 'react-dom/client';
import { BusinessMetricsProvider, useEngagementTracking } from '@bizmetrics/adapters/react';

function Search() {
  const { trackFeature } = useEngagementTracking({ userTier: 'free', entryPage: '/', isNewUser: true });
  return h('button', { onClick: () => trackFeature('search') }, 'Search');
}
createRoot(document.getElementById('root')).render(h(BusinessMetricsProvider, { endpoint: '/bizmetrics/events' }, h(Search)));
`;
const withoutAdapter = `
import { createElement as h } from 'react';
import { createRoot } from 'react-dom/client';

function Search() {
  return h('button', { onClick: () => undefined }, 'Search');
}
createRoot(document.getElementById('root')).render(h(Search));
`;

interface BundleSize {
  readonly minified: number;
  readonly gzip: number;
  readonly text: string;
}

function bundleOf(outDir: string): BundleSize {
  const assets = join(outDir, 'assets');
  const text = readdirSync(assets)
    .filter((file) => file.endsWith('.js'))
    .map((file) => readFileSync(join(assets, file), 'utf8'))
    .join('\n');
  return { minified: Buffer.byteLength(text), gzip: gzipSync(text, { level: 9 }).length, text };
}

describe('a React-only app with Vite', () => {
  afterAll(removeCreated);

  it('installs the adapters without the SDK, zod or core, and builds; the adapter is a small share of the bundle', async () => {
    const { adapters } = packPublishable();
    const dir = createProject('react-vite', {
      'app/index.html': indexHtml,
      'app/main.js': withAdapter,
      'baseline/index.html': indexHtml,
      'baseline/main.js': withoutAdapter,
    });
    const install = await npmInstall(dir, [adapters, 'react@19', 'react-dom@19', 'vite@8']);
    if (install.code !== 0) throw new Error(`npm install failed:\n${install.stderr}`);
    const ls = await run('npm', ['ls', '--all'], { cwd: dir });
    expect({ code: ls.code, problems: ls.stderr }).toEqual({ code: 0, problems: '' });
    const installed = ['@opentelemetry', 'zod', '@bizmetrics/core', 'express'].filter((name) => existsSync(join(dir, 'node_modules', name)));
    expect(installed).toEqual([]);

    for (const root of ['app', 'baseline']) await runOk(process.execPath, ['node_modules/vite/bin/vite.js', 'build', root, '--logLevel', 'warn'], { cwd: dir });
    const app = bundleOf(join(dir, 'app', 'dist'));
    const baseline = bundleOf(join(dir, 'baseline', 'dist'));
    expect(app.text).toContain('/bizmetrics/events');
    expect(app.text).not.toMatch(/PeriodicExportingMetricReader|ZodError|MeterProvider/);
    const adapterGzip = app.gzip - baseline.gzip;
    expect(adapterGzip).toBeGreaterThan(0);

    const figures = {
      measured: new Date().toISOString(),
      vite: JSON.parse(readFileSync(join(dir, 'node_modules/vite/package.json'), 'utf8')).version as string,
      react: JSON.parse(readFileSync(join(dir, 'node_modules/react/package.json'), 'utf8')).version as string,
      appMinifiedBytes: app.minified,
      appGzipBytes: app.gzip,
      baselineGzipBytes: baseline.gzip,
      adapterMinifiedBytes: app.minified - baseline.minified,
      adapterGzipBytes: adapterGzip,
      adapterShareOfGzip: Number((adapterGzip / app.gzip).toFixed(4)),
      installedPackages: readdirSync(join(dir, 'node_modules')).filter((name) => !name.startsWith('.')).length,
    };
    mkdirSync(join(repoRoot, 'artifacts'), { recursive: true });
    writeFileSync(join(repoRoot, 'artifacts', 'consumer-react-bundle.json'), `${JSON.stringify(figures, null, 2)}\n`);
  });
});
