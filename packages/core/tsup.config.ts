import { defineConfig } from 'tsup';

export default defineConfig({
  // One entry per export (scripts/packageExports.mjs writes package.json `exports` from these):
  // the SDK, and the guide's PromQL for the CLI, the demo and tests (no SDK code in it).
  entry: { index: 'src/index.ts', 'queries/index': 'src/queries/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node22',
});
