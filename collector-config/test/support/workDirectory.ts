import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temporary directory for one test file's configs, TSDBs and logs. */
export function createWorkDirectory(name: string): string {
  return mkdtempSync(join(tmpdir(), `bizmetrics-e2e-${name}-`));
}

/**
 * Removes it (Prometheus TSDBs and logs add up over many runs), unless BIZMETRICS_KEEP_TMP=1 asks
 * to keep it for a look at the logs. Failure messages already carry the log tails.
 */
export function removeWorkDirectory(dir: string): void {
  if (process.env['BIZMETRICS_KEEP_TMP'] === '1') return;
  rmSync(dir, { recursive: true, force: true });
}
