import { connect, type Socket } from 'node:net';
import { setupBusinessMetrics, type BusinessMetricsSetup } from '@bizmetrics/core';
import type { Express } from 'express';
import { ingestHandler } from '../../../src/express/index';
import { expressVersions, listen, valueOf, type RunningServer } from '../../support/expressHarness';

/**
 * A real slow client on loopback: sends the headers and a valid start of a body, then one byte
 * every 100 ms, and reads what the server answers. Stops on its own after `maxMs`.
 */
function trickle(url: string, maxMs: number): Promise<{ response: string; closedByServer: boolean }> {
  const { hostname, port } = new URL(url);
  const body = JSON.stringify({ events: [{ type: 'funnel_step', step: 'cart_view', at: Date.now() }] });
  return new Promise((resolve) => {
    const socket: Socket = connect(Number(port), hostname);
    let response = '';
    let sent = 0;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (response += chunk));
    socket.write(`POST /bizmetrics/events HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
    const drip = setInterval(() => {
      if (sent < body.length - 1 && !socket.destroyed) socket.write(body[sent++] as string);
    }, 100);
    let closedByServer = true;
    const stop = setTimeout(() => {
      closedByServer = false;
      socket.destroy();
    }, maxMs);
    socket.on('close', () => {
      clearInterval(drip);
      clearTimeout(stop);
      resolve({ response, closedByServer });
    });
    socket.on('error', () => undefined);
  });
}

describe.each(expressVersions)('ingest endpoint and a slow client on %s', (_name, express) => {
  let bm: BusinessMetricsSetup;
  let server: RunningServer | undefined;

  beforeEach(() => {
    bm = setupBusinessMetrics({ serviceName: 'slow-body-test' });
  });
  afterEach(async () => {
    await server?.close();
    await bm.shutdown();
  });

  it('cuts a body that trickles in off after bodyTimeoutMs with a 408, closes the connection and records nothing', async () => {
    const app: Express = express();
    app.post('/bizmetrics/events', ingestHandler(bm, { bodyTimeoutMs: 600, rateLimit: false }));
    server = await listen(app);
    // The client would go on for 20 s; the server answers and closes long before.
    const { response, closedByServer } = await trickle(server.url, 20_000);
    expect(closedByServer).toBe(true);
    expect(response).toMatch(/^HTTP\/1\.1 408 /);
    expect(response).toMatch(/connection: close/i);
    expect(response).toContain('the body did not arrive within 600 ms');
    const text = await bm.getMetrics();
    expect(valueOf(text, 'bizmetrics_ingest_rejected_batches_total', { reason: 'request_timeout' })).toBe(1);
    expect(valueOf(text, 'business_funnel_step_total')).toBe(0);
  }, 30_000);
});
