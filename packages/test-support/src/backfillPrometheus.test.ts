import { startBackfilledPrometheus } from './backfillPrometheus';

test('startBackfilledPrometheus serves history promtool wrote into blocks', async () => {
  // Two days ago, well inside the 90-day retention the helper sets and outside the default head block.
  const start = Math.floor(Date.now() / 1000) - 2 * 86400;
  const lines = ['# TYPE history_total counter'];
  for (let i = 0; i < 10; i++) lines.push(`history_total{shop="a"} ${i * 3} ${start + i * 60}`);
  const prometheus = await startBackfilledPrometheus(`${lines.join('\n')}\n# EOF\n`);
  try {
    expect((await prometheus.query('history_total', start + 9 * 60))[0]).toMatchObject({ metric: { shop: 'a' }, value: 27 });
  } finally {
    await prometheus.stop();
  }
});

test('startBackfilledPrometheus fails loudly on input promtool refuses', async () => {
  await expect(startBackfilledPrometheus('not openmetrics\n')).rejects.toThrow(/promtool could not backfill/);
});
