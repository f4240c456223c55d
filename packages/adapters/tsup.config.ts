import { defineConfig, type Options } from 'tsup';

type TsupPlugin = NonNullable<Options['plugins']>[number];

// esbuild drops module-level directives when it bundles; the React entry must keep 'use client'
// so that React Server Components bundlers treat the hooks as client code. Prepended on the first
// line (not a new one) so the source map stays aligned.
const useClientDirective: TsupPlugin = {
  name: 'use-client-directive',
  renderChunk(code, chunk) {
    if (!/(^|\/)react\/index\.c?js$/.test(chunk.path)) return undefined;
    return { code: `'use client';${code}` };
  },
};

// One entry per subpath export; neither pulls the other's framework in.
export default defineConfig({
  entry: { 'express/index': 'src/express/index.ts', 'react/index': 'src/react/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  external: ['express', 'react', 'react-dom', '@bizmetrics/core', '@opentelemetry/api'],
  // No shared chunks: each entry stands alone, so the browser bundle holds nothing of the server side.
  splitting: false,
  plugins: [useClientDirective],
});
