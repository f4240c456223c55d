// The `exports` map (and `main`/`module`/`types`, `typesVersions`) of every package is derived from
// its tsup entry list, so the two cannot drift: `node scripts/packageExports.mjs` rewrites the
// package.json files, `--check` fails (listing the differences) when one is not what the entries give.
//
// Rule: a tsup entry named `index` is the package root `.`; an entry named `<sub>/index` is the
// subpath `./<sub>`; any other entry (e.g. the CLI's `cli` binary) is not exported. `esm` output is
// the `import` condition (`.js`, `.d.ts`), `cjs` the `require` condition (`.cjs`, `.d.cts`).
// `typesVersions` maps each subpath for TypeScript's node10 resolution, which ignores `exports`.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { tsImport } from 'tsx/esm/api';

const root = new URL('..', import.meta.url).pathname;
const check = process.argv.includes('--check');

/** tsup's output names for one config's `entry` (object: its keys; array: paths below src/ without extension). */
function entryNames(entry) {
  if (Array.isArray(entry)) return entry.map((file) => relative('src', file).replace(/\.[cm]?tsx?$/, ''));
  return Object.keys(entry ?? {});
}

/** `{ subpath, name, formats, dts }` for every exported entry of a package's tsup config. */
async function exportedEntries(dir) {
  const module = await tsImport(join(dir, 'tsup.config.ts'), import.meta.url);
  let configs = module.default?.default ?? module.default;
  if (typeof configs === 'function') configs = await configs({});
  const entries = [];
  for (const config of [configs].flat()) {
    const formats = [config.format ?? 'cjs'].flat();
    for (const name of entryNames(config.entry)) {
      const subpath = name === 'index' ? '.' : name.endsWith('/index') ? `./${name.slice(0, -'/index'.length)}` : undefined;
      if (subpath !== undefined) entries.push({ subpath, name, formats, dts: config.dts !== undefined && config.dts !== false });
    }
  }
  return entries.sort((a, b) => (a.subpath === '.' ? -1 : b.subpath === '.' ? 1 : a.subpath.localeCompare(b.subpath)));
}

function condition(entry, format) {
  const [js, dts] = format === 'esm' ? ['js', 'd.ts'] : ['cjs', 'd.cts'];
  const files = { default: `./dist/${entry.name}.${js}` };
  return entry.dts ? { types: `./dist/${entry.name}.${dts}`, ...files } : files;
}

/** The package.json fields the entries determine (undefined: the field must be absent). */
function expectedFields(entries) {
  const exports = {};
  for (const entry of entries) {
    const conditions = {};
    if (entry.formats.includes('esm')) conditions.import = condition(entry, 'esm');
    if (entry.formats.includes('cjs')) conditions.require = condition(entry, 'cjs');
    exports[entry.subpath] = conditions;
  }
  exports['./package.json'] = './package.json';
  const rootEntry = entries.find((entry) => entry.subpath === '.');
  const subpaths = entries.filter((entry) => entry.subpath !== '.' && entry.dts);
  const typesVersions =
    subpaths.length === 0
      ? undefined
      : {
          '*': Object.fromEntries(
            subpaths.map((entry) => [entry.subpath.slice(2), [condition(entry, entry.formats.includes('cjs') ? 'cjs' : 'esm').types]]),
          ),
        };
  return {
    main: rootEntry && condition(rootEntry, rootEntry.formats.includes('cjs') ? 'cjs' : 'esm').default,
    module: rootEntry?.formats.includes('esm') ? condition(rootEntry, 'esm').default : undefined,
    types: rootEntry?.dts ? condition(rootEntry, 'esm').types : undefined,
    exports,
    typesVersions,
  };
}

/** `manifest` with `fields` set in place (new keys go after `exports`, or at the end). */
function withFields(manifest, fields) {
  const result = {};
  const pending = new Map(Object.entries(fields));
  for (const [key, value] of Object.entries(manifest)) {
    if (pending.has(key)) {
      const next = pending.get(key);
      pending.delete(key);
      if (next !== undefined) result[key] = next;
    } else {
      result[key] = value;
    }
    if (key === 'exports' || (key === 'types' && !('exports' in manifest))) {
      for (const [name, next] of pending) if (next !== undefined && !(name in manifest)) result[name] = next, pending.delete(name);
    }
  }
  for (const [name, next] of pending) if (next !== undefined) result[name] = next;
  return result;
}

let problems = 0;
for (const name of readdirSync(join(root, 'packages')).sort()) {
  const dir = join(root, 'packages', name);
  const manifestPath = join(dir, 'package.json');
  if (!existsSync(join(dir, 'tsup.config.ts')) || !existsSync(manifestPath)) continue;
  const text = readFileSync(manifestPath, 'utf8');
  const manifest = JSON.parse(text);
  const fields = expectedFields(await exportedEntries(dir));
  const drifted = Object.entries(fields).filter(([key, value]) => !isDeepStrictEqual(manifest[key], value));
  if (drifted.length === 0) continue;
  if (check) {
    problems += drifted.length;
    for (const [key, value] of drifted) {
      process.stderr.write(
        `${relative(root, manifestPath)}: "${key}" does not match ${basename(dirname(manifestPath))}/tsup.config.ts\n` +
          `  expected: ${JSON.stringify(value)}\n  found:    ${JSON.stringify(manifest[key])}\n`,
      );
    }
  } else {
    writeFileSync(manifestPath, `${JSON.stringify(withFields(manifest, fields), null, 2)}\n`);
    process.stdout.write(`wrote ${relative(root, manifestPath)} (${drifted.map(([key]) => key).join(', ')})\n`);
  }
}
if (problems > 0) {
  process.stderr.write('Run `pnpm run generate:exports` to rewrite them from the tsup entries.\n');
  process.exit(1);
}
