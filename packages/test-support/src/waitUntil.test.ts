import { waitUntil } from './waitUntil';

test('waitUntil resolves with the first accepted result and treats throws as "not yet"', async () => {
  let calls = 0;
  const result = await waitUntil(
    () => {
      calls++;
      if (calls === 1) throw new Error('not yet');
      return calls >= 3 ? `done after ${calls}` : undefined;
    },
    { intervalMs: 1 },
  );
  expect(result).toBe('done after 3');
});

test('waitUntil times out quoting the last error and diagnostics', async () => {
  await expect(
    waitUntil(
      () => {
        throw new Error('still down');
      },
      { timeoutMs: 20, intervalMs: 5, description: 'the thing', diagnostics: () => 'log tail' },
    ),
  ).rejects.toThrow(/the thing \(last error: still down\)\nlog tail/);
});

test('waitUntil fails at once when failIf reports a reason', async () => {
  await expect(waitUntil(() => false, { timeoutMs: 10000, failIf: () => 'process exited' })).rejects.toThrow(/process exited/);
});
