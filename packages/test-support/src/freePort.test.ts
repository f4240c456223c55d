import { createServer } from 'node:net';
import { findFreePort, findFreePorts } from './freePort';

test('findFreePorts gives distinct ports that can be listened on', async () => {
  const ports = await findFreePorts(3);
  expect(new Set(ports).size).toBe(3);
  const port = await findFreePort();
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  await new Promise((resolve) => server.close(resolve));
  expect(port).toBeGreaterThan(0);
});
