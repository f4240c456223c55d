import { startPrometheus } from './startPrometheus';

// The helper must fail loudly when Prometheus cannot run, so no test silently passes without it.
describe('startPrometheus', () => {
  it('rejects when the binary is missing', async () => {
    await expect(startPrometheus({ binary: '/nonexistent/prometheus' })).rejects.toThrow(/could not be started: spawn \/nonexistent\/prometheus ENOENT/);
  });

  it('rejects with Prometheus log when Prometheus exits at start', async () => {
    await expect(startPrometheus({ extraArgs: ['--no-such-flag'] })).rejects.toThrow(/exited with code 1[\s\S]*Prometheus log[\s\S]*no-such-flag/);
  });

  it('starts, answers queries and stops', async () => {
    const prometheus = await startPrometheus();
    try {
      const response = await fetch(`${prometheus.url}/api/v1/query?query=1%2B1`);
      expect(((await response.json()) as { data: { result: [number, string] } }).data.result[1]).toBe('2');
    } finally {
      await prometheus.stop();
    }
    await expect(fetch(`${prometheus.url}/-/ready`)).rejects.toThrow();
  });
});
