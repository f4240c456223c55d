import { findFreePort, waitUntil } from '@bizmetrics/test-support';
import { PrometheusEndpoint } from './prometheusEndpoint';

// The SDK's exporter unrefs its server, so a script whose only server was the metrics endpoint
// exited at once (issue 17). Ours must hold the event loop like any server, until shutdown.
describe('PrometheusEndpoint: own server', () => {
  const tcpServers = (): number => process.getActiveResourcesInfo().filter((kind) => kind === 'TCPServerWrap').length;

  it('keeps the process alive while it serves and lets it go on shutdown', async () => {
    const before = tcpServers();
    const endpoint = new PrometheusEndpoint({ server: true, port: await findFreePort(), endpoint: 'scrape' });
    await endpoint.ready;
    expect(tcpServers()).toBe(before + 1);
    expect((await fetch(endpoint.url ?? '')).status).toBe(200);
    expect(endpoint.url).toMatch(/\/scrape$/);
    const other = await fetch((endpoint.url ?? '').replace(/scrape$/, 'other'));
    expect(other.status).toBe(404);
    expect(await other.text()).toContain('/scrape');
    await endpoint.reader.shutdown();
    // The handle is released on the loop's next turn after close().
    await waitUntil(() => tcpServers() === before, { timeoutMs: 5000, description: 'the server handle to be released' });
  });

  it('holds no server when only the handler is used', async () => {
    const before = tcpServers();
    const endpoint = new PrometheusEndpoint({});
    await endpoint.ready;
    expect(tcpServers()).toBe(before);
    expect(endpoint.url).toBeUndefined();
    await endpoint.reader.shutdown();
  });
});
