// Lint: typescript-eslint's recommended rules, type-aware where it matters (floating promises),
// `export *` banned (each package lists its public surface by name), no console in library code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '.tools/**', 'coverage/**', 'artifacts/**', '**/*.cjs', '**/*.mjs', '**/.cache/**',
      // Verbatim copies of the guide's code, kept as written to prove it runs unchanged.
      '**/test/fixtures/guide/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': ['error', { selector: 'ExportAllDeclaration', message: 'List each export by name (no `export *`).' }],
      'no-control-regex': 'off',
    },
  },
  {
    // Tests and benchmarks load aliased majors (express4, react18) by name at run time.
    files: ['**/test/**/*.ts', '**/test/**/*.tsx', '**/*.test.ts', '**/*.test.tsx', 'bench/**/*.ts', '**/bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
    },
  },
  {
    // Build configs are in no tsconfig project: lint them without type information.
    files: ['**/*.config.ts'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { parserOptions: { projectService: false, project: null } },
  },
  {
    files: ['packages/*/src/**/*.ts', 'packages/*/src/**/*.tsx'],
    ignores: ['packages/*/src/**/*.test.ts', 'packages/*/src/**/*.test.tsx', 'packages/cli/src/**'],
    rules: { 'no-console': 'error' },
  },
);
