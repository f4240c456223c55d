import { dirname } from 'node:path';
import { createProject, node22, npmInstall, packPublishable, runOk, type PackageDir, removeCreated } from './consumerProject';
import { importAllEsm, lastJsonLine, requireAllCjs } from './expressApp';

// Issue 17 Must 7: the packed packages as a user installs them with npm, outside the workspace:
// ESM import and CommonJS require on Node 22 (the lowest we claim) and 24, the CLI binary, and the
// TypeScript declarations under nodenext, bundler and node10 (`moduleResolution: node`).
jest.setTimeout(300000);

// Values and types from every entry. The @ts-expect-error lines fail the check if the types
// resolved to `any` (a missing declaration would make every call pass).
const typedUsage = `
import express from 'express';
import { setupBusinessMetrics } from '@bizmetrics/core';
import { bizmetricsMiddleware, type BizmetricsMiddlewareOptions } from '@bizmetrics/adapters/express';
import { BusinessMetricsProvider, useEngagementTracking, type BusinessMetricsProviderProps } from '@bizmetrics/adapters/react';
import { exitCodes } from '@bizmetrics/cli';

const bm = setupBusinessMetrics({ serviceName: 'typed' });
bm.metrics.count('business_funnel_step', { step: 'cart_view', source: 'google_ads', device_type: 'mobile' });
// @ts-expect-error: not a declared label of the catalog
bm.metrics.count('business_conversions', { country: 'de' });
// @ts-expect-error: not a metric of the catalog
bm.metrics.count('no_such_metric', {});

const options: BizmetricsMiddlewareOptions = { technicalMetrics: false };
const app = express();
app.use(bizmetricsMiddleware(bm, options));
app.get('/api/cart', (req, res) => {
  req.bizmetrics?.trackCartView(); // the Request augmentation reaches the user's code
  res.end();
});
// @ts-expect-error: maxRoutes is a number
bizmetricsMiddleware(bm, { maxRoutes: 'many' });

const props: Omit<BusinessMetricsProviderProps, 'children'> = { endpoint: '/bizmetrics/events' };
export const client = { BusinessMetricsProvider, useEngagementTracking, props, exitCodes };
`;

const compilerOptions = { strict: true, noEmit: true, skipLibCheck: true, esModuleInterop: true, jsx: 'react-jsx', types: ['node'] };
// Our declarations are checked in full once (skipLibCheck off costs ~40 s on a shared machine);
// the other two differ only in how the entries resolve.
const tsconfigs: Record<string, object> = {
  nodenext: { module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: false },
  bundler: { module: 'esnext', moduleResolution: 'bundler' },
  node10: { module: 'commonjs', moduleResolution: 'node10' },
};

describe('the packed packages in a clean npm project', () => {
  afterAll(removeCreated);

  let dir: string;
  let tarballs: Record<PackageDir, string>;

  beforeAll(async () => {
    tarballs = packPublishable();
    const files: Record<string, string> = { 'esm.mjs': importAllEsm, 'all.cjs': requireAllCjs, 'src/usage.ts': typedUsage };
    for (const [name, options] of Object.entries(tsconfigs)) {
      files[`tsconfig.${name}.json`] = JSON.stringify({ compilerOptions: { ...compilerOptions, ...options }, include: ['src'] }, null, 2);
    }
    dir = createProject('install', files);
    const install = await npmInstall(dir, [
      tarballs.core,
      tarballs.adapters,
      tarballs.cli,
      '@opentelemetry/api@1.10',
      'express@5',
      'zod@4',
      'react@19',
      '@types/express@5',
      '@types/react@19',
      '@types/node@24',
      'typescript@5.9',
    ]);
    if (install.code !== 0) throw new Error(`npm install failed:\n${install.stderr}`);
  });

  const nodes: [string, () => Promise<string>][] = [
    ['24', () => Promise.resolve(process.execPath)],
    ['22', node22],
  ];
  for (const [major, nodeBinary] of nodes) {
    it(`imports (ESM) and requires (CommonJS) every entry, and runs the CLI, on Node ${major}`, async () => {
      const node = await nodeBinary();
      const esm = lastJsonLine((await runOk(node, ['esm.mjs'], { cwd: dir })).stdout);
      const cjs = lastJsonLine((await runOk(node, ['all.cjs'], { cwd: dir })).stdout);
      for (const result of [esm, cjs]) {
        expect(result).toEqual({ node: expect.stringMatching(new RegExp(`^${major}\\.`)), funnelStep: true, express: 'function', react: 'function', cli: true });
      }
      const env = { ...process.env, PATH: `${dirname(node)}:${process.env.PATH ?? ''}` };
      const help = await runOk('node_modules/.bin/bizmetrics', ['--help'], { cwd: dir, env });
      expect(help.stdout).toMatch(/bizmetrics/);
    });
  }

  for (const name of Object.keys(tsconfigs)) {
    it(`type-checks a user's code with TypeScript 5.9 under moduleResolution ${name}`, async () => {
      const result = await runOk(process.execPath, ['node_modules/typescript/bin/tsc', '-p', `tsconfig.${name}.json`], { cwd: dir });
      expect(result.stdout).toBe('');
    });
  }
});
