import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitForHttpOk } from './waitForHttpOk';

test('waitForHttpOk waits through non-2xx answers until the endpoint is ready', async () => {
  let requests = 0;
  const server = createServer((_request, response) => {
    requests++;
    response.statusCode = requests < 3 ? 503 : 200;
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    await waitForHttpOk(`http://127.0.0.1:${port}/`, { intervalMs: 5 });
    expect(requests).toBe(3);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
