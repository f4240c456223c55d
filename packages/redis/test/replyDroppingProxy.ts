import { createConnection, createServer, type Socket } from 'node:net';

/** A loopback TCP proxy to Redis that can swallow replies and cut every connection: a reply lost after Redis ran the command. */
export interface ReplyDroppingProxy {
  readonly port: number;
  /** While true, Redis's replies are read and thrown away. */
  dropReplies: boolean;
  /** Destroys every open connection (the client sees its socket closed and reconnects). */
  cut(): void;
  close(): Promise<void>;
}

export async function startReplyDroppingProxy(targetPort: number): Promise<ReplyDroppingProxy> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => {
      if (!proxy.dropReplies) client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  const proxy: ReplyDroppingProxy = {
    port: address.port,
    dropReplies: false,
    cut() {
      for (const socket of sockets) socket.destroy();
    },
    close() {
      proxy.cut();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
