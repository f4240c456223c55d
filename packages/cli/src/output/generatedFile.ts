import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { structuredPatch } from 'diff';

/** A file a command generates. */
export interface GeneratedFile {
  /** Path, relative to the working directory or absolute. */
  readonly path: string;
  readonly content: string;
}

/** How a committed file compares with what would be generated. */
export type FileDrift =
  | { readonly path: string; readonly state: 'same' }
  | { readonly path: string; readonly state: 'missing' }
  | { readonly path: string; readonly state: 'changed'; readonly added: number; readonly removed: number; readonly excerpt: string };

const excerptLines = 20;

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Compares one generated file with what is on disk; the excerpt is the start of a unified diff. */
export async function compareWithDisk(file: GeneratedFile, cwd: string): Promise<FileDrift> {
  const absolute = resolve(cwd, file.path);
  const shown = relative(cwd, absolute) || file.path;
  const current = await readIfPresent(absolute);
  if (current === undefined) return { path: shown, state: 'missing' };
  if (current === file.content) return { path: shown, state: 'same' };
  const patch = structuredPatch(`${shown} (committed)`, `${shown} (generated)`, current, file.content, '', '', { context: 1 });
  let added = 0;
  let removed = 0;
  const lines: string[] = [];
  for (const hunk of patch.hunks) {
    lines.push(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`);
    for (const line of hunk.lines) {
      if (line.startsWith('+')) added++;
      else if (line.startsWith('-')) removed++;
      lines.push(line);
    }
  }
  const excerpt = lines.length > excerptLines ? [...lines.slice(0, excerptLines), `... ${lines.length - excerptLines} more diff lines`] : lines;
  return { path: shown, state: 'changed', added, removed, excerpt: excerpt.join('\n') };
}

/** Writes a generated file, creating its folder. */
export async function writeGeneratedFile(file: GeneratedFile, cwd: string): Promise<string> {
  const absolute = resolve(cwd, file.path);
  await mkdir(dirname(absolute), { recursive: true });
  await writeFile(absolute, file.content, 'utf8');
  return relative(cwd, absolute) || file.path;
}

/** One human-readable paragraph per drifted file. */
export function describeDrift(drift: FileDrift): string {
  if (drift.state === 'same') return `${drift.path}: up to date`;
  if (drift.state === 'missing') return `${drift.path}: missing (it would be generated)`;
  return `${drift.path}: differs from the generated output (+${drift.added} -${drift.removed} lines)\n${drift.excerpt}`;
}
