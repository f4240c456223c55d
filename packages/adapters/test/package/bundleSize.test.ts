// The React entry as users get it: the built dist/react/index.js stays under the size budget
// (`.size-limit.json`, 4 kB minified + gzipped, React excluded), keeps its 'use client' directive
// and imports nothing but React. Builds first when dist is missing or older than the sources.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

jest.setTimeout(180_000);

const packageDir = path.join(__dirname, '../..');
const builtEntry = path.join(packageDir, 'dist/react/index.js');

function newestSource(): number {
  let newest = 0;
  for (const dir of ['src/react', 'src/shared']) {
    for (const file of readdirSync(path.join(packageDir, dir), { recursive: true, encoding: 'utf8' })) {
      newest = Math.max(newest, statSync(path.join(packageDir, dir, file)).mtimeMs);
    }
  }
  return newest;
}

function run(command: string, args: string[]): string {
  return execFileSync(command, args, { cwd: packageDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(() => {
  if (!existsSync(builtEntry) || statSync(builtEntry).mtimeMs < newestSource()) run('pnpm', ['exec', 'tsup']);
});

test('size-limit: the React entry is at most 4 kB minified + gzipped', () => {
  const results = JSON.parse(run('pnpm', ['exec', 'size-limit', '--json'])) as { name: string; passed: boolean; size: number }[];
  expect(results).toHaveLength(1);
  expect(results[0]?.size).toBeGreaterThan(1000);
  expect(results[0]?.size).toBeLessThanOrEqual(4000);
  expect(results[0]?.passed).toBe(true);
});

test("the built ESM and CJS entries start with 'use client' and import only react", () => {
  for (const file of ['dist/react/index.js', 'dist/react/index.cjs']) {
    const code = readFileSync(path.join(packageDir, file), 'utf8');
    expect(code.startsWith("'use client';")).toBe(true);
    const specifiers = [...code.matchAll(/\bfrom\s+"([^"]+)"|require\("([^"]+)"\)/g)].map((match) => match[1] ?? match[2]);
    expect(specifiers.length).toBeGreaterThan(0);
    expect(new Set(specifiers)).toEqual(new Set(['react', 'react/jsx-runtime']));
  }
});
