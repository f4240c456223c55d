import { join, resolve } from 'node:path';

/** Worktree root (packages/cli/test/support → ../../../..). */
export const repoRoot = resolve(__dirname, '../../../..');
export const cliPackageDir = join(repoRoot, 'packages/cli');
export const rulesDir = join(repoRoot, 'collector-config/prometheus/rules');
export const ruleTestsDir = join(rulesDir, 'tests');
export const dashboardFile = join(repoRoot, 'collector-config/grafana/business-dashboard.json');
export const docsFile = join(repoRoot, 'docs/metrics.md');
