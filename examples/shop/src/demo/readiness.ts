import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DemoChild } from './processGroup';

/** A port that is free right now, chosen by the OS. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Polls `url` until it answers 200, the child dies, or `timeoutMs` passes. */
export async function waitForHttp(url: string, child: DemoChild, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let dead = false;
  void child.exited.then(() => (dead = true));
  while (Date.now() < deadline) {
    if (dead) throw new Error(`${child.name} exited while starting:\n  ${child.recent.join('\n  ')}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await sleep(200);
  }
  throw new Error(`${child.name} did not become ready at ${url} within ${timeoutMs / 1000} s:\n  ${child.recent.join('\n  ')}`);
}

/** Resolves with the first line matching `pattern` the child prints; rejects if it exits first. */
export function waitForLine(child: DemoChild, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${child.name} printed nothing matching ${pattern} within ${timeoutMs / 1000} s:\n  ${child.recent.join('\n  ')}`)), timeoutMs);
    child.lines.on('line', (line: string) => {
      if (pattern.test(line)) {
        clearTimeout(timer);
        resolve(line);
      }
    });
    void child.exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${child.name} exited while starting:\n  ${child.recent.join('\n  ')}`));
    });
  });
}
