/**
 * Ranks from 1..n; tied values share the average of the ranks they span (fractional ranking), which is what
 * Spearman's coefficient needs so that ties do not depend on input order.
 */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((x, y) => x.value - y.value);
  const ranks = new Array<number>(values.length);
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && (order[end + 1] as { value: number }).value === (order[start] as { value: number }).value) end++;
    // Positions start..end (0-based) hold ranks start+1..end+1; their mean is the midpoint.
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[(order[k] as { index: number }).index] = rank;
    start = end + 1;
  }
  return ranks;
}
