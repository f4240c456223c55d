import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findFreePort, waitUntil } from '@bizmetrics/test-support';
import { createProject, npmInstall, packPublishable, publishable, repoRoot, runOk, userEnv, removeCreated } from './consumerProject';

// Issue 17 Must 3 and 6: the README snippets marked `runnable` (a fence opened with ```ts runnable)
// run as written against the packed packages, and the package READMEs (shown on the registry's
// page) link only to absolute URLs. A runnable snippet is a server: it serves /metrics on
// METRICS_PORT and pushes over OTLP until SIGTERM, then flushes and exits by itself.
jest.setTimeout(300000);

const readmes = ['README.md', ...publishable.map((dir) => `packages/${dir}/README.md`)];

interface Snippet {
  readonly where: string;
  readonly code: string;
}

function runnableSnippets(): Snippet[] {
  const snippets: Snippet[] = [];
  for (const readme of readmes) {
    const text = readFileSync(join(repoRoot, readme), 'utf8');
    for (const match of text.matchAll(/^```(?:ts|js) runnable\n([\s\S]*?)^```$/gm)) {
      const line = text.slice(0, match.index).split('\n').length;
      snippets.push({ where: `${readme}:${line}`, code: match[1] ?? '' });
    }
  }
  return snippets;
}

/** A loopback OTLP/HTTP receiver standing in for the collector: keeps every body it is sent. */
async function startOtlpReceiver(): Promise<{ server: Server; url: string; bodies: string[] }> {
  const bodies: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      bodies.push(body);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/metrics`, bodies };
}

describe('README snippets', () => {
  afterAll(removeCreated);

  it('link only to absolute URLs in the READMEs the registry shows', () => {
    for (const dir of publishable) {
      const text = readFileSync(join(repoRoot, 'packages', dir, 'README.md'), 'utf8');
      const relative = [...text.matchAll(/\]\(([^)]+)\)/g)].map((match) => match[1] ?? '').filter((target) => !/^(https?:|#)/.test(target));
      expect({ dir, relative }).toEqual({ dir, relative: [] });
    }
    const license = readFileSync(join(repoRoot, 'LICENSE'), 'utf8');
    expect(license).toContain('TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION');
    for (const dir of publishable) expect(existsSync(join(repoRoot, 'packages', dir, 'LICENSE')) && readFileSync(join(repoRoot, 'packages', dir, 'LICENSE'), 'utf8')).toBe(license);
  });

  it('type-check and run as written, serving until SIGTERM and flushing on it', async () => {
    const snippets = runnableSnippets();
    // The root README's "Using it" is one of them.
    expect(snippets.filter((snippet) => snippet.where.startsWith('README.md:'))).toHaveLength(1);
    const tarballs = packPublishable();
    const files: Record<string, string> = {
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] }, include: ['*.ts'] }),
    };
    snippets.forEach((snippet, index) => (files[`snippet${index}.ts`] = snippet.code));
    const dir = createProject('readme', files);
    const install = await npmInstall(dir, [tarballs.core, tarballs.adapters, '@opentelemetry/api@1.10', 'express@5', 'zod@4', '@types/node@24', 'typescript@5.9']);
    if (install.code !== 0) throw new Error(`npm install failed:\n${install.stderr}`);
    await runOk(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { cwd: dir });

    for (const [index, snippet] of snippets.entries()) {
      const receiver = await startOtlpReceiver();
      const port = await findFreePort();
      const child = spawn(process.execPath, [`snippet${index}.ts`], {
        cwd: dir,
        env: userEnv({ METRICS_PORT: String(port), OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: receiver.url }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
      child.once('exit', (code, signal) => (exit = { code, signal }));
      const context = (): string => `${snippet.where}: ${exit ? `exited with ${String(exit.code ?? exit.signal)}` : 'running'}\n${output}`;
      try {
        const exposition = await waitUntil(
          async () => {
            const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
            return text.includes('business_funnel_step_total{') ? text : undefined;
          },
          { timeoutMs: 30000, description: `${snippet.where} to serve /metrics`, failIf: () => (exit ? context() : undefined) },
        );
        expect(exposition).toContain('business_revenue_cents_total{');
        // Still serving well after the ~180 ms it used to live.
        await new Promise((resolve) => setTimeout(resolve, 1500));
        expect({ where: snippet.where, exit }).toEqual({ where: snippet.where, exit: undefined });
        expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);

        child.kill('SIGTERM');
        await waitUntil(() => exit !== undefined, { timeoutMs: 30000, description: `${snippet.where} to exit after SIGTERM`, diagnostics: context });
        expect({ where: snippet.where, exit }).toEqual({ where: snippet.where, exit: { code: 0, signal: null } });
        // What was recorded reached the OTLP endpoint on the way out.
        expect(receiver.bodies.some((body) => body.includes('business_funnel_step') && body.includes('business_revenue_cents'))).toBe(true);
      } finally {
        if (exit === undefined) child.kill('SIGKILL');
        receiver.server.close();
      }
    }
  });
});
