import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createShop, type ShopOptions } from './createShop';
import type { OrderBook } from './orderBook';

/** A running shop. */
export interface RunningShop {
  readonly url: string;
  readonly server: Server;
  readonly orders: OrderBook;
  close(): Promise<void>;
}

/** Starts the shop on `host:port` (port 0: a free one). Rejects when the port is taken. */
export async function startShop(options: ShopOptions & { port?: number; host?: string }): Promise<RunningShop> {
  const { app, orders } = createShop(options);
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(options.port ?? 3000, host, (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
  // Keep-alive sockets of the traffic generator must not hold up a shutdown.
  server.keepAliveTimeout = 5000;
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    server,
    orders,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
