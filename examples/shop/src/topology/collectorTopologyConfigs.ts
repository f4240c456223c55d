import { stringify } from 'yaml';

/** Ports of one collector, all on 127.0.0.1. */
export interface CollectorPorts {
  /** OTLP receiver: HTTP on agents (the SDK pushes there), gRPC on gateways (the load-balancing exporter's protocol). */
  readonly otlp: number;
  readonly health: number;
  /** The collector's own telemetry (`otelcol_*`), Prometheus text. */
  readonly selfMetrics: number;
}

/** A gateway's ports, plus those of its naive pipeline (the negative control). */
export interface GatewayPorts extends CollectorPorts {
  /** OTLP/HTTP receiver of the naive pipeline: every agent sends every point here, to every gateway. */
  readonly naiveOtlp: number;
  /** Prometheus exporter of the naive pipeline, scraped by the control Prometheus. */
  readonly naiveExporter: number;
}

const loopback = (port: number): string => `127.0.0.1:${port}`;

function telemetry(ports: CollectorPorts): Record<string, unknown> {
  return {
    logs: { level: 'warn' },
    metrics: { level: 'detailed', readers: [{ pull: { exporter: { prometheus: { host: '127.0.0.1', port: ports.selfMetrics } } } }] },
  };
}

// As in otelcol/base.yaml: no unit on business_* metrics, so the Prometheus names carry no unit suffix.
const prometheusNames = {
  error_mode: 'ignore',
  metric_statements: ['set(metric.unit, "") where IsMatch(metric.name, "^business_") or metric.name == "http.server.request.duration"'],
};

/**
 * An agent, next to the application: OTLP/HTTP in, out through the load-balancing exporter, which
 * routes each stream (metric name + resource + attributes) to one gateway of a static list, so every
 * point of a series reaches the same gateway. With `naiveGateways`, a second pipeline also sends every
 * point to every gateway's naive receiver: the topology without load balancing, for the control.
 * `retrySeconds`: how long a batch for a gateway that is down is retried before it is dropped.
 */
export function agentConfig(ports: CollectorPorts, gateways: readonly GatewayPorts[], options: { naive: boolean; retrySeconds?: number }): string {
  const exporters: Record<string, unknown> = {
    loadbalancing: {
      routing_key: 'streamID',
      // Queue and retries on the load-balancing exporter itself, not on its per-gateway OTLP
      // exporters: there a failed export is only logged ("Dropping data"), while here each failed
      // attempt shows in otelcol_loadbalancer_backend_outcome{success="false"} and each point given
      // up in otelcol_exporter_send_failed_metric_points{exporter="loadbalancing"}.
      protocol: { otlp: { tls: { insecure: true }, timeout: '2s', sending_queue: { enabled: false }, retry_on_failure: { enabled: false } } },
      sending_queue: { enabled: true, queue_size: 1000 },
      retry_on_failure: { enabled: true, initial_interval: '200ms', max_interval: '1s', max_elapsed_time: `${options.retrySeconds ?? 30}s` },
      resolver: { static: { hostnames: gateways.map((gateway) => loopback(gateway.otlp)) } },
    },
  };
  const pipelines: Record<string, unknown> = {
    metrics: { receivers: ['otlp'], processors: ['batch'], exporters: ['loadbalancing'] },
  };
  if (options.naive) {
    gateways.forEach((gateway, index) => {
      exporters[`otlphttp/naive_${index + 1}`] = { endpoint: `http://${loopback(gateway.naiveOtlp)}` };
    });
    pipelines['metrics/naive'] = { receivers: ['otlp'], processors: ['batch'], exporters: gateways.map((_, index) => `otlphttp/naive_${index + 1}`) };
  }
  return stringify({
    extensions: { health_check: { endpoint: loopback(ports.health) } },
    receivers: { otlp: { protocols: { http: { endpoint: loopback(ports.otlp) } } } },
    processors: { batch: { timeout: '200ms' } },
    exporters,
    service: { extensions: ['health_check'], telemetry: telemetry(ports), pipelines },
  });
}

/**
 * A gateway: OTLP/gRPC from the agents, remote write to Prometheus (cumulative, the guide's names).
 * With `naive`, a second pipeline exposes what the naive receiver got on a Prometheus exporter.
 */
export function gatewayConfig(ports: GatewayPorts, remoteWriteUrl: string, options: { naive: boolean }): string {
  const receivers: Record<string, unknown> = { otlp: { protocols: { grpc: { endpoint: loopback(ports.otlp) } } } };
  const exporters: Record<string, unknown> = {
    prometheus_remote_write: {
      endpoint: remoteWriteUrl,
      translation_strategy: 'UnderscoreEscapingWithSuffixes',
      target_info: { enabled: true },
      remote_write_queue: { enabled: true, queue_size: 10000 },
      retry_on_failure: { enabled: true, max_elapsed_time: '1m' },
    },
  };
  const pipelines: Record<string, unknown> = {
    metrics: { receivers: ['otlp'], processors: ['transform/prometheus_names', 'batch'], exporters: ['prometheus_remote_write'] },
  };
  if (options.naive) {
    receivers['otlp/naive'] = { protocols: { http: { endpoint: loopback(ports.naiveOtlp) } } };
    exporters['prometheus/naive'] = { endpoint: loopback(ports.naiveExporter), translation_strategy: 'UnderscoreEscapingWithSuffixes', metric_expiration: '10m' };
    pipelines['metrics/naive'] = { receivers: ['otlp/naive'], processors: ['transform/prometheus_names', 'batch'], exporters: ['prometheus/naive'] };
  }
  return stringify({
    extensions: { health_check: { endpoint: loopback(ports.health) } },
    receivers,
    processors: { 'transform/prometheus_names': prometheusNames, batch: { timeout: '200ms' } },
    exporters,
    service: { extensions: ['health_check'], telemetry: telemetry(ports), pipelines },
  });
}
