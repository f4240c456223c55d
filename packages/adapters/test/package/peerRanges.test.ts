import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The declared Express peer range must cover every Express major the integration tests run against.
function satisfiesCaret(version: string, range: string): boolean {
  const [major, minor, patch] = version.split('.').map(Number) as [number, number, number];
  const [rMajor, rMinor = 0, rPatch = 0] = range.replace(/^\^/, '').split('.').map(Number) as [number, number?, number?];
  if (major !== rMajor) return false;
  return minor > rMinor || (minor === rMinor && patch >= rPatch);
}

function satisfies(version: string, range: string): boolean {
  return range.split('||').some((part) => satisfiesCaret(version, part.trim()));
}

describe('Express peer range', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as {
    peerDependencies: Record<string, string>;
  };
  const range = manifest.peerDependencies['express'] as string;

  it.each(['express4', 'express'])('covers the tested %s', (alias) => {
    const { version } = require(`${alias}/package.json`) as { version: string };
    expect(satisfies(version, range)).toBe(true);
  });

  it('is a real check', () => {
    expect(satisfies('3.9.0', range)).toBe(false);
    expect(satisfies('4.20.0', range)).toBe(false);
  });
});
