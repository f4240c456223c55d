import { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** The User-Agent every Express bench sends: a returning mobile browser. */
/** A returning browser's first-seen cookie (start, source and session id), as the adapter writes it. */
export function firstSeenCookie(startMs: number): string {
  return `bizmetrics_session=${startMs}.newsletter~0b8a3c4e-5f60-4d71-9e82-a3b4c5d6e7f8`;
}

export const mobileUserAgent =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

export type FakeRequest = InstanceType<typeof IncomingMessage> & Record<string, unknown>;
export type FakeResponse = InstanceType<typeof ServerResponse> & Record<string, unknown>;

/**
 * A real `IncomingMessage`/`ServerResponse` pair for `GET /products/<index % 1000>`, set up as
 * Express leaves them before the middleware runs (`originalUrl`, `baseUrl`, `res.locals`), with the
 * response already finished: for timing the middleware in-process, without sockets.
 */
export function fakeProductRequest(socket: Socket, index: number, headers: Record<string, string>): { req: FakeRequest; res: FakeResponse } {
  const req = new IncomingMessage(socket) as FakeRequest;
  req.method = 'GET';
  req.url = `/products/${index % 1000}`;
  req.headers = headers;
  req['originalUrl'] = req.url;
  req['baseUrl'] = '';
  const res = new ServerResponse(req) as unknown as FakeResponse;
  res['locals'] = Object.create(null);
  Object.defineProperty(res, 'writableFinished', { value: true });
  return { req, res };
}
