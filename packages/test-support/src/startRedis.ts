import { mkdtempSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from './freePort';
import type { ManagedProcess, ProcessGroup } from './managedProcess';
import { waitUntil } from './waitUntil';

/** Options of `startRedis`. */
export interface StartRedisOptions {
  /** Keep an append-only file fsynced on every write, so a SIGKILL loses nothing and a restart finds the data. @default false */
  readonly appendOnly?: boolean;
  /** The `redis-server` binary. @default process.env.REDIS_SERVER ?? 'redis-server' */
  readonly binary?: string;
}

/** A real `redis-server` on a free loopback port, restartable on the same port and data directory. */
export interface RunningRedis {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  /** The current server process. */
  readonly process: ManagedProcess;
  /** Kills it with SIGKILL (no shutdown, no save) and waits for the exit. */
  kill(): Promise<void>;
  /** Starts it again on the same port and directory and waits until it answers PING. */
  restart(): Promise<void>;
  /** Sends one command (inline protocol) and returns the raw reply text: for assertions without a client. */
  command(...args: string[]): Promise<string>;
}

/** Starts `redis-server` (Debian's 7.x) on 127.0.0.1 with no RDB snapshots; fails loudly if it cannot start. */
export async function startRedis(group: ProcessGroup, options: StartRedisOptions = {}): Promise<RunningRedis> {
  const port = await findFreePort();
  const dir = mkdtempSync(join(tmpdir(), 'bizmetrics-redis-'));
  const binary = options.binary ?? process.env['REDIS_SERVER'] ?? 'redis-server';
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, '--protected-mode', 'no'];
  args.push(...(options.appendOnly ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']));
  let current: ManagedProcess;
  const launch = async (): Promise<void> => {
    const started = group.start(`redis-server:${port}`, binary, args, { logPath: join(dir, 'redis.log') });
    current = started;
    await waitUntil(async () => (await command('PING')).startsWith('+PONG'), {
      timeoutMs: 15_000,
      description: `redis-server on port ${port}`,
      failIf: () => started.exitReason,
      diagnostics: () => started.logTail(),
    });
  };
  const command = (...parts: string[]): Promise<string> =>
    new Promise((resolve, reject) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      let reply = '';
      socket.setEncoding('utf8');
      socket.setTimeout(5_000, () => socket.destroy(new Error('redis command timed out')));
      socket.on('error', reject);
      socket.on('data', (chunk: string) => {
        reply += chunk;
        if (reply.endsWith('\r\n')) socket.end();
      });
      socket.on('close', () => resolve(reply));
      const encoded = `*${parts.length}\r\n${parts.map((part) => `$${Buffer.byteLength(part)}\r\n${part}\r\n`).join('')}`;
      socket.write(encoded);
    });
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    get process() {
      return current;
    },
    async kill() {
      await current.stop('SIGKILL');
    },
    restart: launch,
    command,
  };
}
