import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { parseExposition, type ExpositionSample } from '@bizmetrics/test-support';
import { cachedCollector } from '../../src/demo/collectorBinary';
import type { TopologyBinaries } from '../../src/topology/startTopology';

const repoRoot = path.join(__dirname, '../../../..');

function onPath(command: string): string {
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter).concat(['/usr/sbin', '/usr/bin'])) {
    const candidate = path.join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error(`${command} is not installed: the topology test needs Debian's ${command} (scripts/test.sh installs it)`);
}

/** The real binaries; throws naming what is missing, so the test fails loudly instead of skipping. */
export function topologyBinaries(shopBuildDir: string): TopologyBinaries {
  const collector = cachedCollector(repoRoot);
  if (collector === undefined) throw new Error('no collector binary: run collector-config/collector/build-collector.sh (scripts/test.sh does) or set BIZMETRICS_OTELCOL');
  return {
    collector,
    prometheus: process.env['PROMETHEUS_BIN'] ?? onPath('prometheus'),
    haproxy: onPath('haproxy'),
    redis: onPath('redis-server'),
    shopServer: path.join(shopBuildDir, 'server.js'),
    collectorConfigDir: path.join(repoRoot, 'collector-config/otelcol'),
  };
}

/**
 * The collectors' own telemetry, read from their `/metrics`. Counter names are given without the
 * `_total` suffix (this collector release writes them without it; older ones with it).
 */
export async function selfMetrics(port: number): Promise<ExpositionSample[]> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(5000) });
  return parseExposition(await response.text()).map((sample) => ({ ...sample, name: sample.name.replace(/_total$/, '') }));
}
