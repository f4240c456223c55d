import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startPrometheus } from './startPrometheus';

// The helper must fail loudly when Prometheus cannot run, so no test silently passes without it.
describe('startPrometheus', () => {
  it('rejects when the binary is missing', async () => {
    await expect(startPrometheus({ binary: '/nonexistent/prometheus' })).rejects.toThrow(/could not be started: spawn \/nonexistent\/prometheus ENOENT/);
  });

  it("rejects with Prometheus' log when Prometheus exits at start", async () => {
    await expect(startPrometheus({ extraArgs: ['--no-such-flag'] })).rejects.toThrow(/exited with code 1[\s\S]*last 60 lines[\s\S]*no-such-flag/);
  });

  it('scrapes targets, evaluates rule files and stops', async () => {
    let server: Server | undefined;
    server = createServer((_request, response) => response.end('# TYPE demo_total counter\ndemo_total{plan="pro"} 42\n'));
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const target = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const prometheus = await startPrometheus({
      targets: [{ job: 'demo', target }],
      ruleFiles: ['groups:\n  - name: demo\n    rules:\n      - record: demo:doubled\n        expr: demo_total * 2\n'],
      remoteWriteReceiver: true,
    });
    try {
      await prometheus.waitForScrapes('demo', 2);
      expect(await prometheus.waitFor('demo:doubled', (values) => values.length === 1)).toEqual([84]);
      expect((await prometheus.query('demo_total'))[0]?.metric).toMatchObject({ job: 'demo', plan: 'pro', instance: target });
      // The receiver answers 400 to an empty body; without the flag it would be 404.
      expect((await fetch(prometheus.remoteWriteUrl, { method: 'POST' })).status).toBe(400);
    } finally {
      await prometheus.stop();
      await new Promise((resolve) => server?.close(resolve));
      server = undefined;
    }
    await expect(fetch(`${prometheus.url}/-/ready`)).rejects.toThrow();
  });
});
