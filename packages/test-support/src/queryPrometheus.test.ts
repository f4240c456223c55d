import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { byLabels, queryApi, queryInstantVector, queryRangeVector, queryScalarValue } from './queryPrometheus';

// A loopback server speaking Prometheus' HTTP API format: the parsing is what is under test here;
// startPrometheus.test.ts runs the same helpers against the real server.
let server: Server;
let url: string;
const bodies: string[] = [];

async function readBody(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  return text;
}

beforeAll(async () => {
  server = createServer((request, response) => {
    void readBody(request).then((body) => {
      bodies.push(body);
      const query = new URLSearchParams(body).get('query');
      const data =
        query === 'vec'
          ? { resultType: 'vector', result: [{ metric: { region: 'eu' }, value: [10, '1.5'] }, { metric: { region: 'us' }, value: [10, '2'] }] }
          : query === 'mat'
            ? { resultType: 'matrix', result: [{ metric: { a: 'b' }, values: [[1, '1'], [2, '3']] }] }
            : query === 'sca'
              ? { resultType: 'scalar', result: [10, '7'] }
              : undefined;
      response.setHeader('content-type', 'application/json');
      if (request.url === '/api/v1/rules') response.end(JSON.stringify({ status: 'success', data: { groups: [] } }));
      else if (data === undefined) response.end(JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error' }));
      else response.end(JSON.stringify({ status: 'success', data }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

test('instant vectors and range vectors come back with numeric values', async () => {
  const vector = await queryInstantVector(url, 'vec', 12.3456);
  expect(vector).toEqual([
    { metric: { region: 'eu' }, time: 10, value: 1.5 },
    { metric: { region: 'us' }, time: 10, value: 2 },
  ]);
  expect(bodies.at(-1)).toContain('time=12.346');
  expect(byLabels(vector, ['region'])).toEqual({ eu: 1.5, us: 2 });
  expect(await queryRangeVector(url, 'mat')).toEqual([{ metric: { a: 'b' }, samples: [{ time: 1, value: 1 }, { time: 2, value: 3 }] }]);
  expect(await queryApi(url, '/api/v1/rules')).toEqual({ groups: [] });
});

test('a query error throws with Prometheus error text; a vector where one series is expected throws', async () => {
  await expect(queryInstantVector(url, 'broken(')).rejects.toThrow(/bad_data: parse error/);
  await expect(queryScalarValue(url, 'vec')).rejects.toThrow(/expected one series/);
  await expect(queryInstantVector(url, 'sca')).rejects.toThrow(/expected an instant vector from sca, got scalar/);
  await expect(queryRangeVector(url, 'vec')).rejects.toThrow(/expected a range vector/);
});
