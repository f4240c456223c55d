// The client's handling of what proxies and servers answer besides a clean Prometheus success, on a real
// loopback HTTP server. The real Prometheus answers (PromQL errors, several series, no data) are proven in
// test/integration/correlate/correlatePrometheus.test.ts.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseSampleValue, queryRange } from './prometheusClient';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

let server: Server;
let url: string;
let handler: Handler;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => handler(request, body, response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const query = { query: 'sum(rate(x[5m]))', start: 1000, end: 1600, step: 60, label: 'technical query' };

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

describe('queryRange', () => {
  it('POSTs the range as a form to <url>/api/v1/query_range with a bearer token and parses the matrix', async () => {
    let seen: { method?: string; path?: string; auth?: string; form?: URLSearchParams } = {};
    handler = (request, body, response) => {
      seen = { method: request.method, path: request.url, auth: request.headers.authorization, form: new URLSearchParams(body) };
      json(response, 200, {
        status: 'success',
        data: { resultType: 'matrix', result: [{ metric: {}, values: [[1000, '1.5'], [1060, 'NaN'], [1120, '+Inf']] }] },
        warnings: ['partial response'],
      });
    };
    const result = await queryRange({ url: `${url}/prom/`, auth: { type: 'bearer', token: 's3cret' } }, query);
    expect(seen.method).toBe('POST');
    expect(seen.path).toBe('/prom/api/v1/query_range');
    expect(seen.auth).toBe('Bearer s3cret');
    expect(Object.fromEntries(seen.form ?? [])).toEqual({ query: 'sum(rate(x[5m]))', start: '1000', end: '1600', step: '60' });
    expect(result.warnings).toEqual(['partial response']);
    expect(result.series[0]?.points[0]).toEqual([1000, 1.5]);
    expect(result.series[0]?.points[1]?.[1]).toBeNaN();
    expect(result.series[0]?.points[2]?.[1]).toBe(Number.POSITIVE_INFINITY);
  });

  it('sends basic auth', async () => {
    let auth: string | undefined;
    handler = (request, _body, response) => {
      auth = request.headers.authorization;
      json(response, 200, { status: 'success', data: { resultType: 'matrix', result: [] } });
    };
    await queryRange({ url, auth: { type: 'basic', username: 'grafana', password: 'p:w' } }, query);
    expect(auth).toBe(`Basic ${Buffer.from('grafana:p:w').toString('base64')}`);
  });

  it.each([
    {
      what: 'a PromQL error envelope',
      reply: (response: ServerResponse) =>
        json(response, 400, { status: 'error', errorType: 'bad_data', error: '1:5: parse error:\n unexpected end of input' }),
      code: 'promql',
      message: 'the technical query was refused by Prometheus (bad_data: 1:5: parse error: unexpected end of input): fix the PromQL and try it in the Prometheus expression browser first',
    },
    {
      what: 'a query timeout',
      reply: (response: ServerResponse) => json(response, 503, { status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' }),
      code: 'timeout',
      message: /^Prometheus gave up on the technical query \(timeout: .*\): shorten --range or raise --step$/,
    },
    {
      what: 'an auth proxy refusing',
      reply: (response: ServerResponse) => {
        response.writeHead(401);
        response.end('Unauthorized');
      },
      code: 'http',
      message: /refused the credentials \(HTTP 401\): check --bearer-token or --basic-auth$/,
    },
    {
      what: 'a wrong path prefix',
      reply: (response: ServerResponse) => {
        response.writeHead(404);
        response.end('404 page not found');
      },
      code: 'http',
      message: /has no \/api\/v1\/query_range \(HTTP 404\): point --prometheus at the Prometheus root/,
    },
    {
      what: 'a gateway error page',
      reply: (response: ServerResponse) => {
        response.writeHead(502, { 'content-type': 'text/html' });
        response.end('<html>\n<body>Bad Gateway</body>\n</html>');
      },
      code: 'http',
      message: /answered HTTP 502 Bad Gateway \(<html> <body>Bad Gateway<\/body> <\/html>\): check the server and retry$/,
    },
    {
      what: 'something that is not Prometheus',
      reply: (response: ServerResponse) => json(response, 200, { hello: 'world' }),
      code: 'http',
      message: /did not answer like a Prometheus API .*: point --prometheus at the server root/,
    },
  ])('turns $what into a one-line CorrelateError', async ({ reply, code, message }) => {
    handler = (_request, _body, response) => reply(response);
    const failure = queryRange({ url }, query);
    await expect(failure).rejects.toMatchObject({ name: 'CorrelateError', code });
    await expect(failure).rejects.toThrow(message);
    const error = await failure.then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).not.toContain('\n');
  });

  it('gives up after the timeout with a hint', async () => {
    handler = () => {
      // never answers
    };
    await expect(queryRange({ url, timeoutMs: 200 }, query)).rejects.toMatchObject({
      code: 'timeout',
      message: `Prometheus at ${url} did not answer the technical query within 200ms: shorten --range, raise --step or raise --timeout`,
    });
  });

  it('refuses URLs that are not http(s)', async () => {
    await expect(queryRange({ url: 'localhost:9090' }, query)).rejects.toMatchObject({ code: 'invalid-option' });
    await expect(queryRange({ url: 'not a url' }, query)).rejects.toThrow('--prometheus "not a url" is not a URL: use e.g. http://localhost:9090');
  });

  it('reads the special values Prometheus writes', () => {
    expect(parseSampleValue('-Inf')).toBe(Number.NEGATIVE_INFINITY);
    expect(parseSampleValue('NaN')).toBeNaN();
    expect(parseSampleValue('0.25')).toBe(0.25);
  });
});
