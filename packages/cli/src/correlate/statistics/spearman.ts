import { pearson } from './pearson';
import { averageRanks } from './rank';

/**
 * Spearman rank correlation: Pearson on average ranks. Unlike the `1 − 6Σd²/(n(n²−1))` shortcut it stays exact
 * with ties, and it catches monotonic but non-linear effects (latency hurting conversion only past a knee).
 */
export function spearman(a: readonly number[], b: readonly number[]): number {
  return pearson(averageRanks(a), averageRanks(b));
}
