/**
 * Reads values out of a Prometheus text exposition: the sum of every sample of `name` whose labels
 * include all of `labels`, or `undefined` when no sample matches. For tests only.
 */
export function sampleValue(exposition: string, name: string, labels: Readonly<Record<string, string>> = {}): number | undefined {
  let sum: number | undefined;
  for (const line of exposition.split('\n')) {
    if (line.startsWith('#') || line === '') continue;
    const brace = line.indexOf('{');
    const space = line.lastIndexOf(' ');
    const metric = brace === -1 ? line.slice(0, line.indexOf(' ')) : line.slice(0, brace);
    if (metric !== name) continue;
    const labelText = brace === -1 ? '' : line.slice(brace + 1, line.lastIndexOf('}'));
    const found = new Map<string, string>();
    for (const match of labelText.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) found.set(match[1] as string, match[2] as string);
    if (Object.entries(labels).every(([key, value]) => found.get(key) === value)) sum = (sum ?? 0) + Number(line.slice(space + 1));
  }
  return sum;
}
