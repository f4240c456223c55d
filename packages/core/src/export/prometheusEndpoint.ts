import type { IncomingMessage, ServerResponse } from 'node:http';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
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
    const endpoint = options.endpoint ?? '/metrics';
    if (server) assertSafeListenAddress({ what: 'Prometheus endpoint', host, hasToken: false, allowNetworkWithoutToken: options.allowNetworkWithoutToken === true, tokenOption: undefined });
    let settle: (error: Error | void) => void = () => undefined;
    this.ready = server
      ? new Promise<void>((resolve, reject) => {
          settle = (error) => (error ? reject(error) : resolve());
        })
      : Promise.resolve();
    this.reader = new PrometheusExporter(
      {
        host,
        port,
        endpoint,
        preventServerStart: !server,
        withoutTargetInfo: options.withoutTargetInfo ?? false,
        withoutScopeInfo: options.withoutScopeInfo ?? false,
        metricProducers: producers,
      },
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
