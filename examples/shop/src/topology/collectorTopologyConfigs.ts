import path from 'node:path';
import { stringify } from 'yaml';

/** Ports of one collector, all on 127.0.0.1. */
export interface CollectorPorts {
  /** The OTLP receiver the tier below sends to: HTTP on agents (the SDK pushes there), gRPC on gateways (the load-balancing exporter's protocol). */
  readonly otlp: number;
  /** The base config's other OTLP protocol (gRPC on agents, HTTP on gateways). */
  readonly otlpOther: number;
  readonly health: number;
  /** The collector's own telemetry (`otelcol_*`), Prometheus text. */
  readonly selfMetrics: number;
}

/** A gateway's ports, plus those of its naive pipeline (the negative control). */
export interface GatewayPorts extends CollectorPorts {
  /** The base config's Prometheus exporter (the scrape path, next to remote write). */
  readonly exporter: number;
  /** OTLP/HTTP receiver of the naive pipeline: every agent sends every point here, to every gateway. */
  readonly naiveOtlp: number;
  /** Prometheus exporter of the naive pipeline, scraped by the control Prometheus. */
  readonly naiveExporter: number;
}

/** How to start one collector: its `--config` layers and its environment. */
export interface CollectorLaunch {
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Extra YAML layer to write next to the run (the naive control), or undefined. */
  readonly extraLayer: string | undefined;
}

const loopback = (port: number): string => `127.0.0.1:${port}`;

function common(ports: CollectorPorts): Record<string, string> {
  return {
    BIZMETRICS_LISTEN_HOST: '127.0.0.1',
    BIZMETRICS_HEALTH_ENDPOINT: loopback(ports.health),
    BIZMETRICS_SELF_METRICS_HOST: '127.0.0.1',
    BIZMETRICS_SELF_METRICS_PORT: String(ports.selfMetrics),
    // The load balancer's per-backend counters are reported from this level on.
    BIZMETRICS_SELF_METRICS_LEVEL: 'detailed',
    BIZMETRICS_LOG_LEVEL: 'warn',
    BIZMETRICS_BATCH_TIMEOUT: '200ms',
  };
}

/**
 * An agent from the project's profiles (`otelcol/base.yaml` + `otelcol/profiles/agent.yaml`): OTLP
 * from the app, out through the load-balancing exporter to the gateways' static list, routed by
 * stream (metric + resource + attributes), so every point of a series reaches the same gateway. With
 * `naive`, a layer adds a second pipeline that sends every point to every gateway's naive receiver:
 * the topology without load balancing, for the negative control.
 */
export function agentLaunch(
  configDir: string,
  ports: CollectorPorts,
  gateways: readonly GatewayPorts[],
  options: { naive: boolean; token: string; retrySeconds?: number },
): CollectorLaunch {
  const env: Record<string, string> = {
    ...common(ports),
    BIZMETRICS_OTLP_HTTP_ENDPOINT: loopback(ports.otlp),
    BIZMETRICS_OTLP_GRPC_ENDPOINT: loopback(ports.otlpOther),
    BIZMETRICS_GATEWAY_ENDPOINTS: JSON.stringify(gateways.map((gateway) => loopback(gateway.otlp))),
    BIZMETRICS_GATEWAY_TOKEN: options.token,
    BIZMETRICS_GATEWAY_ROUTING_KEY: 'streamID',
    BIZMETRICS_GATEWAY_RETRY_MAX_ELAPSED: `${options.retrySeconds ?? 30}s`,
  };
  let extraLayer: string | undefined;
  if (options.naive) {
    const exporters: Record<string, unknown> = {};
    gateways.forEach((gateway, index) => {
      exporters[`otlphttp/naive_${index + 1}`] = { endpoint: `http://${loopback(gateway.naiveOtlp)}` };
    });
    extraLayer = stringify({
      exporters,
      service: { pipelines: { 'metrics/naive': { receivers: ['otlp'], processors: ['batch'], exporters: Object.keys(exporters) } } },
    });
  }
  return { args: ['--config', path.join(configDir, 'base.yaml'), '--config', path.join(configDir, 'profiles/agent.yaml')], env, extraLayer };
}

/**
 * A gateway from the project's profiles (`base.yaml` + `profiles/gateway.yaml` + `profiles/remote-write.yaml`):
 * a bearer token on its OTLP receiver, the guide's names, remote write to Prometheus. With `naive`, a
 * layer adds a receiver without load balancing in front and a Prometheus exporter of its own.
 */
export function gatewayLaunch(configDir: string, ports: GatewayPorts, remoteWriteUrl: string, options: { naive: boolean; token: string }): CollectorLaunch {
  const env: Record<string, string> = {
    ...common(ports),
    BIZMETRICS_OTLP_GRPC_ENDPOINT: loopback(ports.otlp),
    BIZMETRICS_OTLP_HTTP_ENDPOINT: loopback(ports.otlpOther),
    BIZMETRICS_PROMETHEUS_ENDPOINT: loopback(ports.exporter),
    BIZMETRICS_GATEWAY_TOKEN: options.token,
    BIZMETRICS_REMOTE_WRITE_ENDPOINT: remoteWriteUrl,
  };
  const extraLayer = options.naive
    ? stringify({
        receivers: { 'otlp/naive': { protocols: { http: { endpoint: loopback(ports.naiveOtlp) } } } },
        exporters: { 'prometheus/naive': { endpoint: loopback(ports.naiveExporter), translation_strategy: 'UnderscoreEscapingWithSuffixes', metric_expiration: '10m' } },
        service: { pipelines: { 'metrics/naive': { receivers: ['otlp/naive'], processors: ['transform/prometheus_names', 'batch'], exporters: ['prometheus/naive'] } } },
      })
    : undefined;
  const profiles = ['base.yaml', 'profiles/gateway.yaml', 'profiles/remote-write.yaml'];
  return { args: profiles.flatMap((file) => ['--config', path.join(configDir, file)]), env, extraLayer };
}
