import { BusinessMetricsConfigError, setupBusinessMetrics, type BusinessMetricsSetup } from '@bizmetrics/core';
import { startMetricsServer } from '../../../src/express/index';
import { send } from '../../support/expressHarness';

describe('startMetricsServer: secure by default', () => {
  let bm: BusinessMetricsSetup;
  beforeEach(() => {
    bm = setupBusinessMetrics({ serviceName: 'metrics-address-test' });
  });
  afterEach(async () => {
    await bm.shutdown();
  });

  it('listens on 127.0.0.1 unless told otherwise', async () => {
    const server = await startMetricsServer(bm, { port: 0 });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      expect((await send(server.url)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('refuses another address without a token, with an error that says what to do', async () => {
    await expect(startMetricsServer(bm, { port: 0, host: '0.0.0.0' })).rejects.toThrow(BusinessMetricsConfigError);
    await expect(startMetricsServer(bm, { port: 0, host: '0.0.0.0' })).rejects.toThrow(
      /refusing to start the metrics server on 0.0.0.0 without a token.*set bearerToken.*allowNetworkWithoutToken: true/,
    );
  });

  it('listens on another address with a token (and answers 401 without it), or with the explicit opt-out', async () => {
    const withToken = await startMetricsServer(bm, { port: 0, host: '0.0.0.0', bearerToken: 'a-long-scrape-token-123' });
    try {
      const port = new URL(withToken.url).port;
      expect((await send(`http://127.0.0.1:${port}/metrics`)).status).toBe(401);
      expect((await send(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: 'Bearer a-long-scrape-token-123' } })).status).toBe(200);
    } finally {
      await withToken.close();
    }
    const optedOut = await startMetricsServer(bm, { port: 0, host: '0.0.0.0', allowNetworkWithoutToken: true });
    await optedOut.close();
  });
});
