import { ProcessGroup } from '@bizmetrics/test-support';
import { createWorkDirectory, removeWorkDirectory } from './workDirectory';

/** What one e2e test file runs in. */
export interface E2eWorkspace {
  /** Every process the file starts (collector, app, Prometheus servers). */
  readonly processes: ProcessGroup;
  /** Configs, TSDBs and logs. */
  readonly workDir: string;
}

/**
 * A process group and work directory for one e2e test file; call it inside `describe`. Its afterAll
 * stops every process and removes the directory; jest runs afterAll even when a start-up in beforeAll
 * throws, so a half-started stack is stopped too.
 */
export function e2eWorkspace(name: string): E2eWorkspace {
  const processes = new ProcessGroup();
  const workDir = createWorkDirectory(name);
  afterAll(async () => {
    await processes.stopAll();
    removeWorkDirectory(workDir);
  });
  return { processes, workDir };
}
