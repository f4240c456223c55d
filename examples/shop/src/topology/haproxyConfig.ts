/** Options of `haproxyConfig`. */
export interface HaproxyConfigOptions {
  /** Loopback port the load balancer listens on. */
  readonly port: number;
  /** `host:port` of each shop replica. */
  readonly backends: readonly string[];
  /** Path each replica answers 200 on (the health check). @default '/api/products' */
  readonly healthPath?: string;
  /** Port of haproxy's own stats page (`/stats`), or undefined for none. */
  readonly statsPort?: number;
}

/**
 * An haproxy 2.6 configuration: HTTP round robin over the replicas with health checks and, on
 * purpose, no stickiness (no cookie, no source hashing): consecutive requests of one shopper land on
 * different replicas, which is what shared funnel state and active-user sketches must survive.
 * `option forwardfor` appends the client address to `X-Forwarded-For`, as a production balancer does.
 */
export function haproxyConfig(options: HaproxyConfigOptions): string {
  const health = options.healthPath ?? '/api/products';
  const lines = [
    'global',
    '  maxconn 4096',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 30s',
    '  timeout server 30s',
    '  option forwardfor',
    // One request per connection to the servers: otherwise a kept-alive client connection keeps
    // talking to the replica it was first given, a stickiness by accident.
    '  option http-server-close',
    'frontend shop',
    `  bind 127.0.0.1:${options.port}`,
    '  default_backend replicas',
    'backend replicas',
    '  balance roundrobin',
    `  option httpchk GET ${health}`,
    '  http-check expect status 200',
    ...options.backends.map((backend, index) => `  server replica${index + 1} ${backend} check inter 1s fall 2 rise 1`),
  ];
  if (options.statsPort !== undefined) {
    lines.push('frontend stats', `  bind 127.0.0.1:${options.statsPort}`, '  stats enable', '  stats uri /stats', '  stats refresh 5s');
  }
  return `${lines.join('\n')}\n`;
}
