// The React entry ships to browsers: it may import React and the wire format, nothing else, and its
// hook and component files must be marked for React Server Components bundlers.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import adaptersPackage from '../../package.json';
import react19Package from 'react/package.json';
import react18Package from 'react18/package.json';

const reactDir = path.join(__dirname, '../../src/react');
const sources = readdirSync(reactDir, { recursive: true, encoding: 'utf8' })
  // Tests live beside the sources but never ship.
  .filter((file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file))
  .map((file) => ({ file, text: readFileSync(path.join(reactDir, file), 'utf8') }));

function importsOf(text: string): string[] {
  return [...text.matchAll(/(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (match) => (match[1] ?? match[2] ?? match[3]) as string,
  );
}

describe('src/react import boundary', () => {
  test('there are sources to check', () => {
    expect(sources.map((source) => source.file)).toEqual(expect.arrayContaining(['index.ts', 'BusinessMetricsProvider.tsx', 'useEngagementTracking.ts']));
  });

  test.each(sources.map((source) => [source.file, source.text] as const))('%s imports only react, the wire format and its siblings', (_file, text) => {
    for (const specifier of importsOf(text)) {
      const allowed = specifier === 'react' || specifier === '../shared/engagementEvent' || /^\.\/[\w]+$/.test(specifier);
      expect({ specifier, allowed }).toEqual({ specifier, allowed: true });
    }
  });

  test("every hook and component file starts with 'use client'", () => {
    const clientFiles = sources.filter((source) => /^(use[A-Z]\w*\.ts|[A-Z]\w*\.tsx|engagementContext\.ts)$/.test(source.file));
    expect(clientFiles.length).toBeGreaterThanOrEqual(5);
    for (const source of clientFiles) expect({ file: source.file, first: source.text.split('\n')[0] }).toEqual({ file: source.file, first: "'use client';" });
  });

  test('the declared react peer range covers both React versions under test', () => {
    const ranges = adaptersPackage.peerDependencies.react.split('||').map((part) => part.trim());
    for (const tested of [react18Package.version, react19Package.version]) expect(ranges).toContain(`^${tested.split('.')[0]}.0.0`);
    expect(adaptersPackage.peerDependenciesMeta.react.optional).toBe(true);
  });
});
