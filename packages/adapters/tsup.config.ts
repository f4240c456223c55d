import { defineConfig } from 'tsup';

// One entry per subpath export; neither pulls the other's framework in.
export default defineConfig({
  entry: { 'express/index': 'src/express/index.ts', 'react/index': 'src/react/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  external: ['express', 'react', 'react-dom', '@bizmetrics/core', '@opentelemetry/api'],
});
