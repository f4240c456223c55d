import { isIP } from 'node:net';
import { BusinessMetricsConfigError } from '../errors';

/** Whether `host` only accepts connections from this machine (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const lower = bare.toLowerCase();
  if (lower === 'localhost' || lower.endsWith('.localhost')) return true;
  if (isIP(lower) === 4) return lower.startsWith('127.');
  // ::1 in any spelling (0:0:0:0:0:0:0:1, ::0:1), or an IPv4-mapped loopback.
  if (isIP(lower) === 6) return /^[0:]*:0*1$/.test(lower) || lower.startsWith('::ffff:127.');
  return false;
}

/** What a metrics server is about to listen with. */
export interface ListenSafety {
  /** What is starting, for the message: `Prometheus endpoint`, `metrics server`. */
  readonly what: string;
  readonly host: string;
  /** Whether requests must carry a bearer token. */
  readonly hasToken: boolean;
  /** The explicit opt-out: the port is protected some other way (firewall, network policy). */
  readonly allowNetworkWithoutToken: boolean;
  /** How to pass a token, or `undefined` when this server cannot check one. */
  readonly tokenOption: string | undefined;
}

/**
 * Refuses, at set-up, a metrics server that would answer anyone on the network: any address but
 * loopback needs a bearer token or the explicit `allowNetworkWithoutToken: true`. Business metrics
 * (revenue per region, conversion rates) are not for every host that can reach the port.
 */
export function assertSafeListenAddress(safety: ListenSafety): void {
  if (isLoopbackHost(safety.host) || safety.hasToken || safety.allowNetworkWithoutToken) return;
  const token = safety.tokenOption === undefined ? '' : `, set ${safety.tokenOption}`;
  throw new BusinessMetricsConfigError(
    `bizmetrics: refusing to start the ${safety.what} on ${safety.host} without a token: it would serve business metrics to anyone who can reach the port. ` +
      `Bind to 127.0.0.1 (the default)${token}, or set allowNetworkWithoutToken: true if a firewall or network policy protects it`,
  );
}
