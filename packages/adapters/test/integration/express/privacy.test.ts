import { Agent } from 'node:http';
import { distinctClientAdmission, firstComeAdmission, setupBusinessMetrics, type AdmissionFactory, type BusinessMetricsSetup } from '@bizmetrics/core';
import { parseExposition, personalDataArbitraries, sampleValues, type ExpositionSample } from '@bizmetrics/test-support';
import type { Express } from 'express';
import { bizmetricsMiddleware, ingestHandler } from '../../../src/express/index';
import { expressVersions, listen, send, type RunningServer } from '../../support/expressHarness';

// Fixed seed: the same values every run.
const seed = 16;
const perFamily = 12;
const path = '/bizmetrics/events';
const json = { 'content-type': 'application/json' };

/** A keep-alive client bound to a loopback address of its own (127.0.0.x): a distinct client to the server. */
function clientAt(address: string): Agent {
  return new Agent({ keepAlive: true, maxSockets: 1, localAddress: address });
}

function positive(samples: readonly ExpositionSample[], name: string): ExpositionSample[] {
  return samples.filter((sample) => sample.name === name && sample.value > 0);
}

function refusedPersonalData(samples: readonly ExpositionSample[]): number {
  return samples
    .filter((sample) => sample.name === 'bizmetrics_refused_values_total' && String(sample.labels.reason).startsWith('personal_data_'))
    .reduce((total, sample) => total + sample.value, 0);
}

describe.each(expressVersions)('client-supplied values on %s', (_name, express) => {
  let bm: BusinessMetricsSetup;
  let server: RunningServer | undefined;
  const agents: Agent[] = [];

  beforeEach(() => {
    bm = setupBusinessMetrics({ serviceName: 'privacy-test' });
  });
  afterEach(async () => {
    for (const agent of agents.splice(0)) agent.destroy();
    await server?.close();
    server = undefined;
    await bm.shutdown();
  });

  async function start(admission?: AdmissionFactory): Promise<string> {
    const app: Express = express();
    app.use(bizmetricsMiddleware(bm, { context: { admission, sessionCookie: false } }));
    app.get('/land', (req, res) => {
      req.bizmetrics?.trackCartView(100, 1);
      res.json({ source: req.bizmetrics?.context.source });
    });
    app.post(path, ingestHandler(bm, { rateLimit: false, admission }));
    server = await listen(app);
    return server.url;
  }

  const client = (address: string): Agent => {
    const agent = clientAt(address);
    agents.push(agent);
    return agent;
  };

  describe('personal data is refused before the adapter normalises it', () => {
    it.each(Object.keys(personalDataArbitraries))('a %s as utm_source: source="redacted", every cart view counted', async (family) => {
      const url = await start();
      const values = sampleValues((personalDataArbitraries[family] as { arbitrary: Parameters<typeof sampleValues>[0] }).arbitrary, perFamily, seed) as string[];
      const agent = client('127.0.0.1');
      for (const value of values) {
        const reply = await send(`${url}/land?utm_source=${encodeURIComponent(value)}`, { agent });
        expect(reply.status).toBe(200);
      }
      const samples = parseExposition(await bm.getMetrics());
      const views = positive(samples, 'business_funnel_step_total').filter((sample) => sample.labels.step === 'cart_view');
      expect(views.map((sample) => [sample.labels.source, sample.value])).toEqual([['redacted', values.length]]);
      expect(refusedPersonalData(samples)).toBe(values.length);
    });

    it.each(Object.keys(personalDataArbitraries))('a %s as an ingest entryPage: entry_page="redacted", every session counted', async (family) => {
      const url = await start();
      const values = sampleValues((personalDataArbitraries[family] as { arbitrary: Parameters<typeof sampleValues>[0] }).arbitrary, perFamily, seed) as string[];
      const agent = client('127.0.0.1');
      for (const value of values) {
        // The value is the page's first path segment; characters that would end the segment are escaped.
        const entryPage = `/${value.replace(/[/?#%]/g, (c) => encodeURIComponent(c))}`;
        const body = JSON.stringify({ events: [{ type: 'session_end', durationSeconds: 42, userTier: 'free', entryPage, at: Date.now() }] });
        const reply = await send(`${url}${path}`, { method: 'POST', headers: json, body, agent });
        expect({ entryPage, status: reply.status }).toEqual({ entryPage, status: 202 });
      }
      const samples = parseExposition(await bm.getMetrics());
      const sessions = positive(samples, 'business_session_duration_seconds_count');
      expect(sessions.map((sample) => [sample.labels.entry_page, sample.value])).toEqual([['redacted', values.length]]);
      expect(refusedPersonalData(samples)).toBe(values.length);
    });

    it('the issue\'s examples: alice@example.com and +1 (555) 123-4567 never reach a label, not even folded', async () => {
      const url = await start();
      const agent = client('127.0.0.1');
      for (const value of ['alice@example.com', '+1 (555) 123-4567', '4111-1111-1111-1111']) {
        await send(`${url}/land?utm_source=${encodeURIComponent(value)}`, { agent });
        const body = JSON.stringify({ events: [{ type: 'session_end', durationSeconds: 1, userTier: 'free', entryPage: `/${value}`, at: Date.now() }] });
        await send(`${url}${path}`, { method: 'POST', headers: json, body, agent });
      }
      const text = await bm.getMetrics();
      for (const leaked of ['alice_example.com', '1_555_123-4567', '4111-1111-1111-1111', '/alice_example.com']) expect(text).not.toContain(leaked);
      expect(refusedPersonalData(parseExposition(text))).toBe(6);
    });
  });

  describe('admission one client cannot exhaust', () => {
    async function floodSources(url: string): Promise<void> {
      const attacker = client('127.0.0.1');
      for (let i = 0; i < 2000; i++) await send(`${url}/land?utm_source=rnd${(i * 7919).toString(36)}x${i}`, { agent: attacker });
    }

    async function campaignFromThreeVisitors(url: string): Promise<string[]> {
      const sources: string[] = [];
      for (const address of ['127.0.0.2', '127.0.0.3', '127.0.0.4']) {
        const reply = await send(`${url}/land?utm_source=spring_sale`, { agent: client(address) });
        sources.push((reply.json() as { source: string }).source);
      }
      return sources;
    }

    it('after 2,000 random sources from one client, a campaign three visitors arrive with gets its own label', async () => {
      const url = await start();
      await floodSources(url);
      const sources = await campaignFromThreeVisitors(url);
      // A new visitor's own quota admits the campaign at once.
      expect(sources).toEqual(['spring_sale', 'spring_sale', 'spring_sale']);
      const views = positive(parseExposition(await bm.getMetrics()), 'business_funnel_step_total');
      const labels = new Map(views.map((sample) => [sample.labels.source, sample.value]));
      expect(labels.get('spring_sale')).toBe(3);
      // The attacker got its quota of 10 labels; the rest of its 2,000 views are counted under `other`.
      expect(views.length).toBe(12);
      expect([...labels.values()].reduce((a, b) => a + b, 0)).toBe(2003);
    }, 60_000);

    it('with no per-client quota, the flood admits nothing and the campaign gets its label from its third visitor', async () => {
      const url = await start(distinctClientAdmission({ minClients: 3 }));
      await floodSources(url);
      expect(await campaignFromThreeVisitors(url)).toEqual(['other', 'other', 'spring_sale']);
      const views = positive(parseExposition(await bm.getMetrics()), 'business_funnel_step_total');
      expect(views.map((sample) => [sample.labels.source, sample.value])).toEqual([
        ['other', 2002],
        ['spring_sale', 1],
      ]);
    }, 60_000);

    it('first come, the campaign would have been lost (the behaviour this replaces)', async () => {
      const url = await start(firstComeAdmission);
      await floodSources(url);
      expect(await campaignFromThreeVisitors(url)).toEqual(['other', 'other', 'other']);
    }, 60_000);

    it('after 2,000 random feature names from one client through the ingest endpoint, a feature three clients use gets its own label', async () => {
      const url = await start();
      const attacker = client('127.0.0.1');
      for (let batch = 0; batch < 40; batch++) {
        const events = Array.from({ length: 50 }, (_, i) => ({ type: 'feature_usage', feature: `f${batch}_${i}_${(batch * 50 + i) * 7919}`, userTier: 'free', isNewUser: false, at: Date.now() }));
        expect((await send(`${url}${path}`, { method: 'POST', headers: json, body: JSON.stringify({ events }), agent: attacker })).status).toBe(202);
      }
      for (const address of ['127.0.0.2', '127.0.0.3', '127.0.0.4']) {
        const events = [{ type: 'feature_usage', feature: 'dashboard_export', userTier: 'pro', isNewUser: false, at: Date.now() }];
        expect((await send(`${url}${path}`, { method: 'POST', headers: json, body: JSON.stringify({ events }), agent: client(address) })).status).toBe(202);
      }
      const usage = positive(parseExposition(await bm.getMetrics()), 'business_feature_usage_total');
      const labels = new Map<string, number>();
      for (const sample of usage) labels.set(String(sample.labels.feature_name), (labels.get(String(sample.labels.feature_name)) ?? 0) + sample.value);
      expect(labels.get('dashboard_export')).toBe(3);
      expect(labels.size).toBe(12);
      expect([...labels.values()].reduce((a, b) => a + b, 0)).toBe(2003);
    }, 60_000);
  });
});
