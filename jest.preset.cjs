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
    transform: {
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
      '^@bizmetrics/adapters/express$': path.join(root, 'packages/adapters/src/express/index.ts'),
      '^@bizmetrics/adapters/react$': path.join(root, 'packages/adapters/src/react/index.ts'),
      '^@bizmetrics/cli$': path.join(root, 'packages/cli/src/index.ts'),
    },
    ...overrides,
  };
}

module.exports = { packageJestConfig };
