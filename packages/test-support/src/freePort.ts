import { createServer, type Server } from 'node:net';

function listenOnAnyPort(host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => resolve(server));
  });
}

/**
 * `count` distinct TCP ports that were free on `host` a moment ago: the OS picks them (listen on 0)
 * and every socket stays open until all are known, so the ports differ from each other. Another
 * process may still take one before it is bound, which is rare enough for tests. Other engineers run
 * servers on the same machine, so never hard-code ports; prefer listening on port 0 yourself when the
 * server allows it, and use this for programs that need the port on their command line (Prometheus).
 */
export async function findFreePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) servers.push(await listenOnAnyPort(host));
    return servers.map((server) => {
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('findFreePorts: the OS gave no TCP port');
      return address.port;
    });
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

/** One free port on `host` (see `findFreePorts`); also good for a port that must be dead (nothing listens). */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  const [port] = await findFreePorts(1, host);
  if (port === undefined) throw new Error('findFreePort: no free port');
  return port;
}
