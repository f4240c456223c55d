// SIGTERM → exit stays well inside a container's 10 s grace period whatever the OTLP backend does.
// Each case runs the fixture app as a real child process against a real loopback server.
import { spawn } from 'node:child_process';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { readRequestBody, startHttpServer, type LoopbackHttpServer } from '../support/startHttpServer';

const app = join(__dirname, '../fixtures/shutdown/sigtermApp.ts');

interface SigtermRun {
  readonly exitMillis: number;
  readonly code: number | null;
  readonly result: { completed: boolean; unflushedDataPoints: number; elapsedMillis: number };
  readonly stderr: string;
}

/** Starts the app, waits for `ready`, sends SIGTERM and measures the time until the process is gone. */
async function sigtermApp(otlpUrl: string, mode: 'exit' | 'natural' = 'exit'): Promise<SigtermRun> {
  // `--import tsx` (not the tsx CLI) keeps it one process, so SIGTERM reaches the app itself.
  const child = spawn(process.execPath, ['--import', 'tsx', app, otlpUrl, mode], { cwd: __dirname, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = await Promise.race([
    new Promise<boolean>((resolve) => child.stdout.on('data', () => stdout.includes('ready\n') && resolve(true))),
    exited.then(() => false),
  ]);
  if (!ready) throw new Error(`the app did not start:\n${stdout}${stderr}`);
  const signalled = performance.now();
  child.kill('SIGTERM');
  const watchdog = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const code = await exited;
  clearTimeout(watchdog);
  const exitMillis = performance.now() - signalled;
  const line = stdout.split('\n').find((text) => text.startsWith('{'));
  if (line === undefined) throw new Error(`no shutdown result (exit ${String(code)}):\n${stdout}${stderr}`);
  const parsed = JSON.parse(line) as { result: SigtermRun['result'] };
  return { exitMillis, code, result: parsed.result, stderr };
}

/** A port nothing listens on: bind, note the port, close. */
async function deadPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

jest.setTimeout(60_000);

describe('shutdown on SIGTERM with an OTLP backend that does not cooperate', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  it('exits in under 5 s when nothing listens (connection refused), counting the lost points', async () => {
    const run = await sigtermApp(`http://127.0.0.1:${await deadPort()}/v1/metrics`);
    expect(run.code).toBe(0);
    expect(run.exitMillis).toBeLessThan(5000);
    expect(run.result.completed).toBe(false);
    expect(run.result.unflushedDataPoints).toBeGreaterThan(0);
    // Logged once through the diag logger.
    expect(run.stderr.match(/diag\.warn bizmetrics: shutdown/g)).toHaveLength(1);
  });

  it('with the README one-liner (no process.exit), the process also ends in under 5 s when nothing listens', async () => {
    const run = await sigtermApp(`http://127.0.0.1:${await deadPort()}/v1/metrics`, 'natural');
    expect(run.code).toBe(0);
    expect(run.exitMillis).toBeLessThan(5000);
    expect(run.result.completed).toBe(false);
    expect(run.result.unflushedDataPoints).toBeGreaterThan(0);
  });

  it('exits in under 5 s when the backend accepts connections and never answers', async () => {
    const sockets: Socket[] = [];
    let connections = 0;
    const server: Server = createTcpServer((socket) => {
      connections += 1;
      sockets.push(socket);
      socket.resume(); // reads the request, never writes a byte
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const run = await sigtermApp(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/metrics`);
    expect(connections).toBeGreaterThan(0);
    expect(run.code).toBe(0);
    expect(run.exitMillis).toBeLessThan(5000);
    expect(run.result).toMatchObject({ completed: false });
    expect(run.result.unflushedDataPoints).toBeGreaterThan(0);
    expect(run.stderr).toMatch(/gave up after 3000 ms; \d+ data point\(s\) were not delivered/);
  });

  it('exits in under 5 s when the backend answers after 8 s', async () => {
    let requests = 0;
    const slow: LoopbackHttpServer = await startHttpServer((request, response) => {
      requests += 1;
      void readRequestBody(request).then(() => setTimeout(() => response.writeHead(200).end(), 8000).unref());
    });
    closers.push(() => slow.close());
    const run = await sigtermApp(`${slow.url}/v1/metrics`);
    expect(requests).toBeGreaterThan(0);
    expect(run.exitMillis).toBeLessThan(5000);
    expect(run.result.completed).toBe(false);
    expect(run.result.unflushedDataPoints).toBeGreaterThan(0);
  });

  it('delivers everything and reports completed with a backend that answers at once', async () => {
    let received = 0;
    const healthy = await startHttpServer((request, response) => {
      void readRequestBody(request).then((body) => {
        received += body.length;
        response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    closers.push(() => healthy.close());
    const run = await sigtermApp(`${healthy.url}/v1/metrics`);
    expect(run.result).toMatchObject({ completed: true, unflushedDataPoints: 0 });
    expect(received).toBeGreaterThan(0);
    expect(run.stderr).not.toMatch(/diag\.warn bizmetrics: shutdown/);
  });
});
