import { BusinessMetricsConfigError } from '../errors';
import { setupBusinessMetrics } from '../runtime/setupBusinessMetrics';
import { assertSafeListenAddress, isLoopbackHost } from './listenAddress';

describe('isLoopbackHost', () => {
  it.each(['127.0.0.1', '127.1.2.3', '::1', '0:0:0:0:0:0:0:1', '[::1]', 'localhost', '::ffff:127.0.0.1'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });
  it.each(['0.0.0.0', '::', '10.0.0.5', '192.168.1.2', 'metrics.internal', '::ffff:10.0.0.1', '2001:db8::1'])('%s is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('assertSafeListenAddress', () => {
  const base = { what: 'metrics server', hasToken: false, allowNetworkWithoutToken: false, tokenOption: 'bearerToken' };
  it('refuses a network address without a token, saying what to change', () => {
    expect(() => assertSafeListenAddress({ ...base, host: '0.0.0.0' })).toThrow(BusinessMetricsConfigError);
    expect(() => assertSafeListenAddress({ ...base, host: '0.0.0.0' })).toThrow(/refusing to start the metrics server on 0.0.0.0 without a token.*127.0.0.1.*bearerToken.*allowNetworkWithoutToken: true/);
  });
  it('accepts loopback, a token or the explicit opt-out', () => {
    expect(() => assertSafeListenAddress({ ...base, host: '127.0.0.1' })).not.toThrow();
    expect(() => assertSafeListenAddress({ ...base, host: '0.0.0.0', hasToken: true })).not.toThrow();
    expect(() => assertSafeListenAddress({ ...base, host: '0.0.0.0', allowNetworkWithoutToken: true })).not.toThrow();
  });
});

describe("core's own Prometheus server", () => {
  it('listens on 127.0.0.1 by default', async () => {
    const bm = setupBusinessMetrics({ prometheus: { server: true, port: 0 } });
    try {
      await bm.prometheus?.ready;
      expect(bm.prometheus?.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
    } finally {
      await bm.shutdown();
    }
  });

  it('refuses 0.0.0.0 at set-up (it checks no token), and starts there with the explicit opt-out', async () => {
    expect(() => setupBusinessMetrics({ prometheus: { server: true, port: 0, host: '0.0.0.0' } })).toThrow(/refusing to start the Prometheus endpoint on 0.0.0.0.*allowNetworkWithoutToken: true/);
    const bm = setupBusinessMetrics({ prometheus: { server: true, port: 0, host: '0.0.0.0', allowNetworkWithoutToken: true } });
    try {
      await bm.prometheus?.ready;
      expect(bm.prometheus?.url).toMatch(/^http:\/\/0\.0\.0\.0:/);
    } finally {
      await bm.shutdown();
    }
  });
});
