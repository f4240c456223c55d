const knownUnits: Readonly<Record<string, string>> = {
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  By: 'bytes',
  '1': 'ratio',
  '%': 'percent',
};

/** A reader's word for a UCUM unit: `s` → seconds, `{cent}` → cents. */
export function describeUnit(unit: string): string {
  const known = knownUnits[unit];
  if (known !== undefined) return known;
  const annotation = /^\{(.+)\}$/.exec(unit)?.[1];
  if (annotation !== undefined) return annotation.endsWith('s') ? annotation : `${annotation}s`;
  return unit === '' ? 'none' : unit;
}

/** A bucket boundary written for people: `90` s → `1m 30s`, `2500` cents → `$25.00`. */
export function describeBoundary(value: number, unit: string): string {
  if (unit === 's') {
    if (value < 60) return `${value}s`;
    const hours = Math.floor(value / 3600);
    const minutes = Math.floor((value % 3600) / 60);
    const seconds = value % 60;
    return [hours ? `${hours}h` : '', minutes ? `${minutes}m` : '', seconds ? `${seconds}s` : ''].filter(Boolean).join(' ');
  }
  if (unit === '{cent}') return `$${(value / 100).toFixed(2)}`;
  return String(value);
}
