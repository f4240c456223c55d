import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { PrometheusExporter, PrometheusSerializer, type ExporterConfig } from '@opentelemetry/exporter-prometheus';
import type { MetricProducer } from '@opentelemetry/sdk-metrics';
import { assertSafeListenAddress } from './listenAddress';

/** Prometheus pull export. */
export interface PrometheusOptions {
  /**
   * Start the exporter's own HTTP server. When false (the default), mount `handler` in your
   * server instead (Express: `app.get('/metrics', runtime.prometheus.handler)`).
   * @default false
   */
  server?: boolean;
  /** Port of the exporter's own server. @default 9464 */
  port?: number;
  /**
   * Interface the server binds to. Any address but loopback also needs `allowNetworkWithoutToken`
   * (this server checks no token: to require one, use the Express adapter's `startMetricsServer`
   * with `bearerToken`). @default '127.0.0.1'
   */
  host?: string;
  /**
   * Let the own server listen on a non-loopback address without authentication: only when a
   * firewall or network policy keeps the port from everyone but the scraper. @default false
   */
  allowNetworkWithoutToken?: boolean;
  /** Path of the scrape endpoint on the exporter's own server. @default '/metrics' */
  endpoint?: string;
  /** Leave out `target_info` (the resource as a metric). @default false */
  withoutTargetInfo?: boolean;
  /** Leave out the `otel_scope_*` labels on every series. @default false */
  withoutScopeInfo?: boolean;
}

/**
 * The SDK's exporter with a server of ours instead of its own: the SDK `unref()`s its server, so a
 * script whose only server is the metrics endpoint exits at once. Ours keeps the process alive
 * like any server until the reader shuts down.
 */
class ServingPrometheusExporter extends PrometheusExporter {
  private readonly server: Server | undefined;

  constructor(config: ExporterConfig, serve: boolean, onListening: (error: Error | void) => void) {
    super({ ...config, preventServerStart: true });
    if (!serve) return;
    const endpoint = config.endpoint ?? '/metrics';
    this.server = createServer((request, response) => {
      if (new URL(request.url ?? '/', 'http://localhost').pathname === endpoint) {
        this.getMetricsRequestHandler(request, response);
      } else {
        response.statusCode = 404;
        response.end(`not found: the metrics are at ${endpoint}`);
      }
    });
    this.server.once('error', (error) => onListening(error));
    this.server.listen({ port: config.port, host: config.host }, () => onListening());
  }

  override async onShutdown(): Promise<void> {
    const server = this.server;
    if (server?.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    await super.onShutdown();
  }
}

/** A Prometheus reader with its scrape handler and, when asked, its own server. */
export class PrometheusEndpoint {
  readonly reader: PrometheusExporter;
  /** Resolves once the own server listens (at once when there is none); rejects if it cannot bind. */
  readonly ready: Promise<void>;
  /** Scrape URL of the own server, when there is one. */
  readonly url: string | undefined;
  private readonly serializer: PrometheusSerializer;

  /** `producers`: more metrics for every scrape (the runtime's bound histograms). */
  constructor(options: PrometheusOptions = {}, producers: MetricProducer[] = []) {
    const server = options.server ?? false;
    const host = options.host ?? '127.0.0.1';
    const port = options.port ?? 9464;
    // 'metrics' and '/metrics' mean the same path, as in the SDK's exporter.
    const endpoint = (options.endpoint ?? '/metrics').replace(/^([^/])/, '/$1');
    if (server) assertSafeListenAddress({ what: 'Prometheus endpoint', host, hasToken: false, allowNetworkWithoutToken: options.allowNetworkWithoutToken === true, tokenOption: undefined });
    let settle: (error: Error | void) => void = () => undefined;
    this.ready = server
      ? new Promise<void>((resolve, reject) => {
          settle = (error) => (error ? reject(error) : resolve());
        })
      : Promise.resolve();
    this.reader = new ServingPrometheusExporter(
      {
        host,
        port,
        endpoint,
        withoutTargetInfo: options.withoutTargetInfo ?? false,
        withoutScopeInfo: options.withoutScopeInfo ?? false,
        metricProducers: producers,
      },
      server,
      (error) => settle(error),
    );
    // Keep an unobserved bind failure from becoming an unhandled rejection; `ready` still reports it.
    this.ready.catch(() => undefined);
    this.url = server ? `http://${host.includes(':') ? `[${host}]` : host}:${port}${endpoint}` : undefined;
    this.serializer = new PrometheusSerializer('', false, undefined, options.withoutTargetInfo ?? false, options.withoutScopeInfo ?? false);
  }

  /** Node/Express request handler answering with the text exposition. */
  readonly handler = (request: IncomingMessage, response: ServerResponse): void => {
    this.reader.getMetricsRequestHandler(request, response);
  };

  /** The current text exposition (what a scrape would return). */
  async scrape(): Promise<string> {
    const { resourceMetrics } = await this.reader.collect();
    return this.serializer.serialize(resourceMetrics);
  }
}
