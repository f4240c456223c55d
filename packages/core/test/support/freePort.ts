import { createServer } from 'node:net';

/**
 * A TCP port that was free on `host` a moment ago: the OS picks it (listen on 0), we close and
 * hand it out. Other engineers run servers on the same machine, so never hard-code ports.
 * Prefer listening on port 0 yourself when the server lets you; use this for programs that need
 * the port on their command line (Prometheus) or for a port that must be dead (nothing listens).
 */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('findFreePort: the OS gave no TCP port'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}
