import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from './runCommand';
import { startPrometheus, type RunningPrometheus, type StartPrometheusOptions } from './startPrometheus';

/** `promtool` binary: `PROMTOOL_BIN` or the machine's. */
export const promtoolBinary = (): string => process.env['PROMTOOL_BIN'] ?? '/usr/bin/promtool';

/**
 * Turns OpenMetrics text (must end with `# EOF`) into TSDB blocks in `storageDir` with
 * `promtool tsdb create-blocks-from openmetrics`; throws with promtool's output when it refuses.
 */
export async function backfillOpenMetrics(openMetrics: string, storageDir: string): Promise<void> {
  const input = join(storageDir, '..', `backfill-${process.pid}-${Date.now()}.om.txt`);
  await writeFile(input, openMetrics);
  try {
    const result = await runCommand(promtoolBinary(), ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', input, storageDir], undefined, 120000);
    if (result.code !== 0) throw new Error(`promtool could not backfill (exit ${String(result.code ?? result.signal)}):\n${result.stderr}${result.stdout}`);
  } finally {
    await rm(input, { force: true });
  }
}

/**
 * Backfills `openMetrics` and starts Prometheus on those blocks with no scrape jobs: the backfilled
 * history is all the data it will ever have. Throws, never skips, when promtool or Prometheus cannot run.
 */
export async function startBackfilledPrometheus(openMetrics: string, options: StartPrometheusOptions = {}): Promise<RunningPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'bizmetrics-backfill-'));
  const storageDir = join(dir, 'data');
  try {
    await backfillOpenMetrics(openMetrics, storageDir);
    const prometheus = await startPrometheus({
      configText: 'global:\n  evaluation_interval: 1m\n',
      // Backfilled history is days old; keep it well inside retention.
      retention: '90d',
      ...options,
      storageDir,
    });
    return {
      ...prometheus,
      async stop() {
        await prometheus.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
