// Builds the shop with esbuild: the React front end for browsers (dist/public) and the Node entry
// points (dist/server.js, dist/traffic.js, dist/demo.js). Workspace packages stay external on the
// Node side (resolved from their built dist/ at run time); the browser bundle includes them.
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
// --outdir=<dir> (inside this package, so Node finds node_modules from there): tests build into
// their own directories and never read a half-written dist/ of a parallel build.
const outdirArg = process.argv.find((arg) => arg.startsWith('--outdir='));
const dist = outdirArg ? path.resolve(here, outdirArg.slice('--outdir='.length)) : path.join(here, 'dist');
const quiet = process.argv.includes('--quiet');
const started = performance.now();

await mkdir(path.join(dist, 'public'), { recursive: true });
await Promise.all([
  build({
    entryPoints: [path.join(here, 'src/client/main.tsx')],
    outfile: path.join(dist, 'public/app.js'),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: ['chrome120', 'firefox120', 'safari17'],
    jsx: 'automatic',
    minify: true,
    sourcemap: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  }),
  build({
    entryPoints: {
      server: path.join(here, 'src/server/main.ts'),
      traffic: path.join(here, 'src/traffic/main.ts'),
      demo: path.join(here, 'src/demo/main.ts'),
    },
    outdir: dist,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  }),
  copyFile(path.join(here, 'src/client/index.html'), path.join(dist, 'public/index.html')),
  copyFile(path.join(here, 'src/client/app.css'), path.join(dist, 'public/app.css')),
]);
if (!quiet) console.log(`built ${path.relative(here, dist)} in ${Math.round(performance.now() - started)} ms`);
