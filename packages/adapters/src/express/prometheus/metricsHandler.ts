import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { assertSafeListenAddress, BusinessMetricsConfigError } from '@bizmetrics/core';
import type { BizmetricsRuntime } from '../runtime';
import { AdapterTelemetry } from '../telemetry/adapterTelemetry';
import { BearerTokenCheck } from './bearerToken';

/** Options of `metricsHandler`. */
export interface MetricsHandlerOptions {
  /**
   * Require `Authorization: Bearer <token>`; requests without it get 401. Prometheus sends it with
   * `authorization: { credentials: <token> }` in the scrape config. At least 16 characters.
   * @default none (open endpoint)
   */
  bearerToken?: string;
}

/**
 * The Prometheus scrape endpoint as a handler to mount in your app, optionally behind a bearer token.
 *
 * @example
 * app.get('/metrics', metricsHandler(bm, { bearerToken: process.env.METRICS_TOKEN }));
 */
export function metricsHandler(runtime: BizmetricsRuntime, options: MetricsHandlerOptions = {}): (req: IncomingMessage, res: ServerResponse) => void {
  const endpoint = runtime.prometheus;
  if (endpoint === undefined) {
    throw new BusinessMetricsConfigError(
      'bizmetrics: metricsHandler needs the Prometheus reader; it is off with prometheus: false or your own meterProvider (mount your own exporter instead)',
    );
  }
  const check = bearerCheck(options.bearerToken);
  const telemetry = new AdapterTelemetry(runtime);
  return function bizmetricsMetrics(req: IncomingMessage, res: ServerResponse): void {
    try {
      if (check !== undefined && !check.accepts(req.headers.authorization)) {
        res.statusCode = 401;
        res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.end(JSON.stringify({ error: 'missing or wrong bearer token (send Authorization: Bearer <token>)' }));
        return;
      }
      endpoint.handler(req, res);
    } catch (error) {
      telemetry.fail('metrics_endpoint', error);
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end();
      }
    }
  };
}

/** Options of `startMetricsServer`. */
export interface MetricsServerOptions extends MetricsHandlerOptions {
  /** Port to listen on; 0 picks a free one. @default 9464 */
  port?: number;
  /** Interface to bind; any address but loopback needs `bearerToken` or `allowNetworkWithoutToken`. @default '127.0.0.1' */
  host?: string;
  /**
   * Listen on a non-loopback address without a bearer token: only when a firewall or network
   * policy keeps the port from everyone but the scraper. @default false
   */
  allowNetworkWithoutToken?: boolean;
  /** Scrape path; other paths get 404. @default '/metrics' */
  path?: string;
}

/** A running metrics server. */
export interface MetricsServer {
  /** Scrape URL, e.g. `http://127.0.0.1:9464/metrics`. */
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/**
 * The scrape endpoint on its own port, e.g. to keep it off the public listener.
 *
 * @example
 * const metricsServer = await startMetricsServer(bm, { port: 9464, bearerToken: process.env.METRICS_TOKEN });
 */
export async function startMetricsServer(runtime: BizmetricsRuntime, options: MetricsServerOptions = {}): Promise<MetricsServer> {
  const host = options.host ?? '127.0.0.1';
  assertSafeListenAddress({
    what: 'metrics server',
    host,
    hasToken: options.bearerToken !== undefined,
    allowNetworkWithoutToken: options.allowNetworkWithoutToken === true,
    tokenOption: 'bearerToken',
  });
  const handler = metricsHandler(runtime, options);
  const path = options.path ?? '/metrics';
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    if ((query === -1 ? url : url.slice(0, query)) !== path || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.statusCode = 404;
      res.end();
      return;
    }
    handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 9464, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}${path}`,
    server,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

function bearerCheck(token: string | undefined): BearerTokenCheck | undefined {
  if (token === undefined) return undefined;
  if (typeof token !== 'string' || token.length < 16 || /\s/.test(token)) {
    throw new BusinessMetricsConfigError('bizmetrics: bearerToken must be a string of at least 16 characters without whitespace');
  }
  return new BearerTokenCheck(token);
}
