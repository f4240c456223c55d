// Shared jest settings: TypeScript through swc (fast, no type check — `pnpm typecheck` does that),
// workspace packages resolved to their sources so tests never depend on a stale build.
const path = require('node:path');

const root = __dirname;

/** @param {string} dir package directory @param {Partial<import('jest').Config>} [overrides] */
function packageJestConfig(dir, overrides = {}) {
  return {
    displayName: path.relative(root, dir),
    rootDir: dir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/**/*.test.ts', '<rootDir>/**/*.test.tsx'],
    testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    // The OTLP/HTTP exporter loads `http` with a dynamic import(), which jest's CommonJS runtime
    // refuses without --experimental-vm-modules ("A dynamic import callback was invoked ..."): every
    // push would fail in tests only. Transforming that one package turns import() into require().
    transformIgnorePatterns: ['/node_modules/(?!\\.pnpm/@opentelemetry\\+otlp-exporter-base@|@opentelemetry/otlp-exporter-base/)'],
    transform: {
      '/@opentelemetry/otlp-exporter-base/.+\\.cjs$': [
        require.resolve('@swc/jest'),
        { jsc: { target: 'es2022', parser: { syntax: 'ecmascript' } }, module: { type: 'commonjs' } },
      ],
      '^.+\\.(t|j)sx?$': [
        require.resolve('@swc/jest'),
        {
          jsc: {
            target: 'es2022',
            parser: { syntax: 'typescript', tsx: true },
            transform: { react: { runtime: 'automatic' } },
          },
          module: { type: 'commonjs' },
        },
      ],
    },
    moduleNameMapper: {
      '^@bizmetrics/core$': path.join(root, 'packages/core/src/index.ts'),
      '^@bizmetrics/core/queries$': path.join(root, 'packages/core/src/queries/index.ts'),
      '^@bizmetrics/adapters/express$': path.join(root, 'packages/adapters/src/express/index.ts'),
      '^@bizmetrics/adapters/react$': path.join(root, 'packages/adapters/src/react/index.ts'),
      '^@bizmetrics/cli$': path.join(root, 'packages/cli/src/index.ts'),
      '^@bizmetrics/redis$': path.join(root, 'packages/redis/src/index.ts'),
      // Test-only helpers, never built: always their sources.
      '^@bizmetrics/test-support$': path.join(root, 'packages/test-support/src/index.ts'),
    },
    ...overrides,
  };
}

module.exports = { packageJestConfig };
