import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // The programmatic API.
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node22',
  },
  {
    // The `bizmetrics` binary: dist/cli.js runs main() on process.argv.
    entry: { cli: 'src/bin.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node22',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
