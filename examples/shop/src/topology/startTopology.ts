import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DemoChild, ProcessGroup } from '../demo/processGroup';
import { createServer, type Server } from 'node:net';
import { waitForHttp, waitForLine } from '../demo/readiness';
import { agentLaunch, gatewayLaunch, type CollectorLaunch, type CollectorPorts, type GatewayPorts } from './collectorTopologyConfigs';
import { haproxyConfig } from './haproxyConfig';

/** Binaries the topology runs. */
export interface TopologyBinaries {
  readonly collector: string;
  readonly prometheus: string;
  readonly haproxy: string;
  readonly redis: string;
  /** The built shop entry point (`dist/server.js`). */
  readonly shopServer: string;
  /** The project's collector configs (`collector-config/otelcol`: `base.yaml` and `profiles/`). */
  readonly collectorConfigDir: string;
}

/** Options of `startTopology`. */
export interface TopologyOptions {
  readonly binaries: TopologyBinaries;
  /** Every process is started in this group; `group.stopAll()` ends them all. */
  readonly group: ProcessGroup;
  /** Environment of every process (the demo marks its run here). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Shop replicas; 0 starts the pipeline only (no shops, no haproxy), e.g. for a delay benchmark. @default 3 */
  readonly replicas?: number;
  /** @default 2 */
  readonly agents?: number;
  /** @default 2 */
  readonly gateways?: number;
  /** How often each replica pushes OTLP, in milliseconds. @default 1000 */
  readonly exportIntervalMs?: number;
  /** How long agents retry a batch for a gateway that is down before dropping it, in seconds. @default 30 */
  readonly agentRetrySeconds?: number;
  /** Also run the naive gateway pair (every agent to every gateway, scraped by a second Prometheus). @default false */
  readonly naiveControl?: boolean;
  /** More arguments for every shop replica (e.g. its Redis options), given the Redis URL. */
  readonly shopArgs?: (redisUrl: string) => readonly string[];
  /** Rule files the main Prometheus loads (absolute paths). */
  readonly ruleFiles?: readonly string[];
  /** Prometheus scrape and evaluation interval in seconds. @default 1 */
  readonly scrapeIntervalSeconds?: number;
  /** Progress lines. */
  readonly progress?: (message: string) => void;
}

/** One collector process and its ports. */
export interface RunningCollector<P extends CollectorPorts = CollectorPorts> {
  readonly name: string;
  readonly ports: P;
  /** Its `--config` layers and environment, to start it again the same way. */
  readonly launch: CollectorLaunch;
  child: DemoChild;
}

/** The production shape on one machine. */
export interface Topology {
  /** haproxy's frontend: where shoppers go ('' without replicas). */
  readonly url: string;
  readonly prometheusUrl: string;
  /** The control Prometheus scraping the naive gateway pair, when `naiveControl`. */
  readonly naivePrometheusUrl: string | undefined;
  readonly redisUrl: string;
  readonly replicas: readonly DemoChild[];
  readonly agents: readonly RunningCollector[];
  readonly gateways: readonly RunningCollector<GatewayPorts>[];
  /** SIGKILL to gateway `index` (its whole process group); resolves once it is gone. */
  killGateway(index: number): Promise<void>;
  /** Starts gateway `index` again with the same config and ports; resolves once it is healthy. */
  restartGateway(index: number): Promise<void>;
  /** SIGTERM to every replica: each pushes its last OTLP export on the way out. Resolves once all have exited. */
  stopReplicas(): Promise<void>;
  /** Deletes the temporary configs and TSDBs (after the group is stopped). */
  cleanup(): Promise<void>;
}

const loopback = (port: number): string => `127.0.0.1:${port}`;

/**
 * `count` distinct free loopback ports: every listener stays open until all are taken, so two
 * calls in a row cannot hand out the same port (one at a time, the OS may give a closed one again).
 */
async function distinctFreePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i += 1) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
    }
    return servers.map((server) => (server.address() as { port: number }).port);
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

function prometheusConfig(interval: number, jobs: readonly { job: string; targets: readonly string[] }[], ruleFiles: readonly string[]): string {
  const lines = ['global:', `  scrape_interval: ${interval}s`, `  evaluation_interval: ${interval}s`];
  if (ruleFiles.length > 0) lines.push('rule_files:', ...ruleFiles.map((file) => `  - ${JSON.stringify(file)}`));
  lines.push('scrape_configs:');
  for (const { job, targets } of jobs) {
    lines.push(`  - job_name: ${job}`, '    static_configs:', `      - targets: [${targets.map((t) => JSON.stringify(t)).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Starts Redis, Prometheus (remote-write receiver; it also scrapes the collectors' own telemetry),
 * the gateways, the agents, the shop replicas (replica i pushes to agent i mod agents, all share
 * one cookie-signing secret) and haproxy in front of them, each ready before the next starts.
 * A component that cannot start rejects with its last lines; the caller's `group.stopAll()` ends
 * whatever did start.
 */
export async function startTopology(options: TopologyOptions): Promise<Topology> {
  const { binaries, group } = options;
  const env = options.env ?? process.env;
  const progress = options.progress ?? (() => undefined);
  const replicaCount = options.replicas ?? 3;
  const agentCount = options.agents ?? 2;
  const gatewayCount = options.gateways ?? 2;
  const naive = options.naiveControl ?? false;
  const interval = options.scrapeIntervalSeconds ?? 1;
  const dir = await mkdtemp(path.join(tmpdir(), 'bizmetrics-topology-'));
  // Every port of the topology at once (redis, 2 Prometheus, 5 per gateway, 3 per agent, replicas, haproxy).
  const pool = await distinctFreePorts(1 + 2 + 7 * gatewayCount + 4 * agentCount + replicaCount + 1);
  const ports = (count: number): number[] => pool.splice(0, count);

  // Redis: shared funnel state and active-user sketches; no persistence, loopback only.
  const [redisPort] = (ports(1)) as [number];
  const redis = group.start('redis', binaries.redis, ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { env });
  await waitForLine(redis, /Ready to accept connections/, 30_000);
  const redisUrl = `redis://127.0.0.1:${redisPort}`;
  progress(`redis ready (pid ${redis.pid}) on ${loopback(redisPort)}`);

  const gatewayPorts: GatewayPorts[] = [];
  for (let i = 0; i < gatewayCount; i += 1) {
    const [otlp, otlpOther, health, selfMetrics, exporter, naiveOtlp, naiveExporter] = ports(7) as [number, number, number, number, number, number, number];
    gatewayPorts.push({ otlp, otlpOther, health, selfMetrics, exporter, naiveOtlp, naiveExporter });
  }
  const agentPorts: CollectorPorts[] = [];
  for (let i = 0; i < agentCount; i += 1) {
    const [otlp, otlpOther, health, selfMetrics] = ports(4) as [number, number, number, number];
    agentPorts.push({ otlp, otlpOther, health, selfMetrics });
  }

  async function startPrometheus(name: string, jobs: { job: string; targets: string[] }[], ruleFiles: readonly string[], remoteWrite: boolean): Promise<string> {
    const [port] = (ports(1)) as [number];
    const configFile = path.join(dir, `${name}.yml`);
    await writeFile(configFile, prometheusConfig(interval, jobs, ruleFiles));
    const args = [`--config.file=${configFile}`, `--storage.tsdb.path=${path.join(dir, `${name}-tsdb`)}`, `--web.listen-address=${loopback(port)}`, '--log.level=warn'];
    if (remoteWrite) args.push('--web.enable-remote-write-receiver');
    const child = group.start(name, binaries.prometheus, args, { env });
    const url = `http://${loopback(port)}`;
    await waitForHttp(`${url}/-/ready`, child, 60_000);
    progress(`${name} ready (pid ${child.pid}) on ${url}`);
    return url;
  }
  const prometheusUrl = await startPrometheus(
    'prometheus',
    [
      { job: 'otelcol-gateway', targets: gatewayPorts.map((p) => loopback(p.selfMetrics)) },
      { job: 'otelcol-agent', targets: agentPorts.map((p) => loopback(p.selfMetrics)) },
    ],
    options.ruleFiles ?? [],
    true,
  );
  const naivePrometheusUrl = naive
    ? await startPrometheus('prometheus-naive', [{ job: 'naive-gateways', targets: gatewayPorts.map((p) => loopback(p.naiveExporter)) }], [], false)
    : undefined;

  // Agents and gateways present a bearer token the gateways require (the gateway profile's auth).
  const token = randomBytes(24).toString('hex');
  async function prepare(name: string, launch: CollectorLaunch): Promise<CollectorLaunch> {
    if (launch.extraLayer === undefined) return launch;
    const layer = path.join(dir, `${name}-naive.yaml`);
    await writeFile(layer, launch.extraLayer);
    return { ...launch, args: [...launch.args, '--config', layer], extraLayer: undefined };
  }
  async function startCollector<P extends CollectorPorts>(name: string, ports: P, launch: CollectorLaunch): Promise<DemoChild> {
    const child = group.start(name, binaries.collector, launch.args, { env: { ...env, ...launch.env } });
    await waitForHttp(`http://${loopback(ports.health)}/`, child, 60_000);
    progress(`${name} ready (pid ${child.pid}), OTLP on ${loopback(ports.otlp)}`);
    return child;
  }

  const gateways: RunningCollector<GatewayPorts>[] = [];
  for (const [i, gatewayPort] of gatewayPorts.entries()) {
    const name = `gateway-${i + 1}`;
    const launch = await prepare(name, gatewayLaunch(binaries.collectorConfigDir, gatewayPort, `${prometheusUrl}/api/v1/write`, { naive, token }));
    gateways.push({ name, ports: gatewayPort, launch, child: await startCollector(name, gatewayPort, launch) });
  }
  const agents: RunningCollector[] = [];
  for (const [i, agentPort] of agentPorts.entries()) {
    const name = `agent-${i + 1}`;
    const retry = options.agentRetrySeconds !== undefined ? { retrySeconds: options.agentRetrySeconds } : {};
    const launch = await prepare(name, agentLaunch(binaries.collectorConfigDir, agentPort, gatewayPorts, { naive, token, ...retry }));
    agents.push({ name, ports: agentPort, launch, child: await startCollector(name, agentPort, launch) });
  }

  // Replicas share the cookie-signing key: a session signed by one is read by the others.
  const sessionSecret = randomBytes(32).toString('hex');
  const replicaPorts = ports(replicaCount);
  const replicas: DemoChild[] = [];
  for (const [i, port] of replicaPorts.entries()) {
    const agent = agentPorts[i % agentCount]!;
    const args = [
      binaries.shopServer,
      '--port', String(port),
      '--otlp-url', `http://${loopback(agent.otlp)}/v1/metrics`,
      '--export-interval', String(options.exportIntervalMs ?? 1000),
      '--session-secret', sessionSecret,
      '--instance-id', `replica-${i + 1}`,
      '--exit-with-parent',
      ...(options.shopArgs?.(redisUrl) ?? []),
    ];
    const replica = group.start(`shop-${i + 1}`, process.execPath, args, { env, lifeline: true });
    await waitForLine(replica, /"event":"listening"/, 60_000);
    progress(`shop-${i + 1} ready (pid ${replica.pid}) on ${loopback(port)}, pushing to agent-${(i % agentCount) + 1}`);
    replicas.push(replica);
  }

  const [haproxyPort] = (ports(1)) as [number];
  let url = '';
  if (replicaCount > 0) {
    const haproxyFile = path.join(dir, 'haproxy.cfg');
    await writeFile(haproxyFile, haproxyConfig({ port: haproxyPort, backends: replicaPorts.map(loopback) }));
    const haproxy = group.start('haproxy', binaries.haproxy, ['-f', haproxyFile, '-db'], { env });
    url = `http://${loopback(haproxyPort)}`;
    await waitForHttp(`${url}/api/products`, haproxy, 30_000);
    progress(`haproxy ready (pid ${haproxy.pid}) on ${url}: round robin over ${replicaCount} replicas, no stickiness`);
  }

  return {
    url,
    prometheusUrl,
    naivePrometheusUrl,
    redisUrl,
    replicas,
    agents,
    gateways,
    async killGateway(index) {
      const gateway = gateways[index];
      if (gateway === undefined) throw new Error(`no gateway ${index}`);
      process.kill(-gateway.child.pid, 'SIGKILL');
      await gateway.child.exited;
    },
    async restartGateway(index) {
      const gateway = gateways[index];
      if (gateway === undefined) throw new Error(`no gateway ${index}`);
      gateway.child = await startCollector(gateway.name, gateway.ports, gateway.launch);
    },
    async stopReplicas() {
      for (const replica of replicas) {
        try {
          process.kill(-replica.pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
      await Promise.all(replicas.map((replica) => replica.exited));
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
