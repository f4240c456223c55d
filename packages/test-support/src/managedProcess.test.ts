import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProcessGroup } from './managedProcess';

test('output is kept in memory or in the log file, and the exit is reported', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bizmetrics-managed-'));
  const group = new ProcessGroup();
  try {
    const inMemory = group.start('echo', process.execPath, ['-e', 'console.log("hello"); console.error("oops"); process.exit(3)']);
    const toFile = group.start('file', process.execPath, ['-e', 'console.log("to the file")'], { logPath: join(dir, 'file.log') });
    expect(await inMemory.exited).toEqual({ code: 3, signal: null });
    await toFile.exited;
    expect(inMemory.running).toBe(false);
    expect(inMemory.log()).toContain('hello');
    expect(inMemory.logTail()).toContain('oops');
    expect(toFile.logTail()).toMatch(/file\.log.*\n[\s\S]*to the file/);
  } finally {
    await group.stopAll();
    await rm(dir, { recursive: true, force: true });
  }
});

test('stopAll ends a long-running process; a missing binary reports its spawn error', async () => {
  const group = new ProcessGroup();
  const sleeper = group.start('sleeper', process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
  const missing = group.start('missing', '/nonexistent/bizmetrics-binary', []);
  await missing.exited;
  expect(missing.spawnError?.message).toMatch(/ENOENT/);
  expect(sleeper.running).toBe(true);
  await group.stopAll(2000);
  expect(sleeper.running).toBe(false);
  expect((await sleeper.exited).signal).toBe('SIGTERM');
});
