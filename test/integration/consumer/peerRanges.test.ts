import { join } from 'node:path';
import { createProject, npmInstall, packedManifest, packPublishable, publishable, run, runOk, versionsIn, writeFiles, type Finished, type PackageDir, removeCreated } from './consumerProject';
import { expressAppEsm, lastJsonLine, requireAllCjs } from './expressApp';

// Issue 17: our @opentelemetry/api range admitted 1.9, which the pinned OpenTelemetry packages do not
// accept; apps crashed on the first ESM import. The range must be what those packages require, and
// the lowest and highest versions it admits (with the lowest and highest of the adapters' other
// peers) must install cleanly and run.
const api = '@opentelemetry/api';
// npm installs from the registry: seconds on a warm cache, a minute or more on a cold one.
jest.setTimeout(300000);

// Every pinned @opentelemetry package's own api range, and whether ours is inside it (semver.subset).
const rangeCheck = `
import semver from 'semver';
import { readdirSync, readFileSync } from 'node:fs';
const read = (path) => JSON.parse(readFileSync(path, 'utf8'));
const ours = read('node_modules/@bizmetrics/core/package.json').peerDependencies['${api}'];
const packages = {};
for (const name of readdirSync('node_modules/@opentelemetry')) {
  const manifest = read('node_modules/@opentelemetry/' + name + '/package.json');
  const theirs = manifest.peerDependencies?.['${api}'];
  if (theirs !== undefined) packages['@opentelemetry/' + name + '@' + manifest.version] = { theirs, inside: semver.subset(ours, theirs) };
}
console.log(JSON.stringify({ ours, packages }));
`;

describe('peer ranges of the packed packages', () => {
  afterAll(removeCreated);

  let tarballs: Record<PackageDir, string>;
  let apiRange: string;
  type Bound = 'lowest' | 'highest';
  const installs = new Map<Bound, { dir: string; peers: string[]; install: Finished }>();

  // Both projects install at once: most of an install is waiting on the registry.
  beforeAll(async () => {
    tarballs = packPublishable();
    const ranges = publishable.map((dir) => packedManifest(tarballs[dir]).peerDependencies?.[api]);
    apiRange = ranges[0] ?? '';
    // One range for all: a user installs them together.
    expect(ranges).toEqual(publishable.map(() => apiRange));
    const adapters = packedManifest(tarballs.adapters);
    await Promise.all(
      (['lowest', 'highest'] as const).map(async (bound) => {
        const pick = async (name: string, range: string): Promise<string> => {
          const versions = await versionsIn(name, range);
          return `${name}@${(bound === 'lowest' ? versions[0] : versions.at(-1)) ?? ''}`;
        };
        const peers = await Promise.all([
          pick(api, apiRange),
          pick('zod', adapters.peerDependencies?.zod ?? ''),
          pick('express', adapters.peerDependencies?.express ?? ''),
          pick('react', adapters.peerDependencies?.react ?? ''),
        ]);
        const dir = createProject(`peers-${bound}`, { 'app.mjs': expressAppEsm, 'all.cjs': requireAllCjs, 'ranges.mjs': rangeCheck });
        installs.set(bound, { dir, peers, install: await npmInstall(dir, [...peers, tarballs.core, tarballs.adapters, tarballs.cli, 'semver@7']) });
      }),
    );
  });

  for (const bound of ['lowest', 'highest'] as const) {
    it(`installs and runs with the ${bound} ${api}, zod, express and react the ranges admit`, async () => {
      const project = installs.get(bound);
      if (project === undefined) throw new Error(`no ${bound} project was installed`);
      const { dir, peers, install } = project;
      expect({ peers, code: install.code, stderr: install.stderr }).toEqual({ peers, code: 0, stderr: expect.not.stringMatching(/ERESOLVE|invalid/) });
      // npm ls exits non-zero on any missing or invalid peer anywhere in the tree.
      const ls = await run('npm', ['ls', '--all'], { cwd: dir });
      expect({ code: ls.code, problems: ls.stderr }).toEqual({ code: 0, problems: '' });

      const ranges = lastJsonLine((await runOk(process.execPath, ['ranges.mjs'], { cwd: dir })).stdout) as {
        ours: string;
        packages: Record<string, { theirs: string; inside: boolean }>;
      };
      expect(ranges.ours).toBe(apiRange);
      expect(Object.keys(ranges.packages).length).toBeGreaterThanOrEqual(5);
      for (const [name, { theirs, inside }] of Object.entries(ranges.packages)) expect({ name, theirs, inside }).toEqual({ name, theirs, inside: true });

      expect(lastJsonLine((await runOk(process.execPath, ['app.mjs'], { cwd: dir })).stdout)).toEqual({
        cart: 200,
        ingest: 202,
        refused: 400,
        funnelStep: true,
        featureUsage: true,
        httpDuration: true,
      });
      expect(lastJsonLine((await runOk(process.execPath, ['all.cjs'], { cwd: dir })).stdout)).toMatchObject({ funnelStep: true, express: 'function' });
    });
  }

  it(`refuses the newest ${api} below the range, which crashes on import when forced in`, async () => {
    const lowest = (await versionsIn(api, apiRange))[0] ?? '';
    const excluded = (await versionsIn(api, `<${lowest}`)).at(-1) ?? '';
    const dir = createProject('peers-excluded');
    const refused = await npmInstall(dir, [`${api}@${excluded}`, tarballs.core]);
    expect(excluded).toMatch(/^1\./);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/ERESOLVE/);
    expect(refused.stderr).toContain(apiRange);

    // What the old ^1.9.0 let through: installed anyway, the first ESM import fails.
    await runOk('npm', ['install', '--prefer-offline', '--legacy-peer-deps', `${api}@${excluded}`, tarballs.core], { cwd: dir });
    writeFiles(dir, { 'import.mjs': "import { setupBusinessMetrics } from '@bizmetrics/core';\nsetupBusinessMetrics({ serviceName: 'x' });\n" });
    const crashed = await run(process.execPath, [join(dir, 'import.mjs')], { cwd: dir });
    expect(crashed.code).not.toBe(0);
    expect(crashed.stderr).toMatch(/does not provide an export named/);
  });
});
