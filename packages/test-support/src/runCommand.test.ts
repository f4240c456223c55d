import { runCommand } from './runCommand';

test('runCommand pipes stdin in and returns output and exit code', async () => {
  const result = await runCommand(process.execPath, ['-e', 'process.stdin.pipe(process.stdout); process.stdin.on("end", () => process.exit(2))'], 'echo me');
  expect(result).toEqual({ code: 2, signal: null, stdout: 'echo me', stderr: '' });
});

test('runCommand rejects when the program cannot start', async () => {
  await expect(runCommand('/nonexistent/bizmetrics-tool', [])).rejects.toThrow(/cannot start/);
});
