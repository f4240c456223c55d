import { expressVersions } from '../../support/expressHarness';
import { runIngestFuzzer } from './ingestFuzzer';

// A quick run of the fuzzer (bench/ingest runs 100,000 requests): fixed seed, same requests every run.
describe.each(expressVersions)('ingest endpoint under a seeded fuzzer on %s', (_name, express) => {
  it('answers 2,000 hostile requests without a 5xx, records exactly what it accepted, and keeps serving', async () => {
    const report = await runIngestFuzzer(express, { requests: 2000, seed: 16, concurrency: 8, bodyTimeoutMs: 300 });
    const statuses = Object.fromEntries(report.statuses);
    expect(Object.keys(statuses).filter((status) => Number(status) >= 500)).toEqual([]);
    // Requests of every kind came through: accepted, refused as bad, too large, timed out.
    expect(Object.keys(statuses).map(Number)).toEqual(expect.arrayContaining([202, 400, 413, 408]));
    expect(report.clientErrors).toBe(0);
    // No refused request moved a total: what the metrics counted is what the 202 answers accepted.
    expect(report.acceptedEvents).toBeGreaterThan(0);
    expect(report.recordedEvents).toBe(report.acceptedEvents);
    expect(report.aliveAfter).toBe(true);
  }, 120_000);
});
