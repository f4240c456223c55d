/** @jest-environment jsdom */
import { DeliveryQueue, type DeliveryOptions } from './deliveryQueue';
import { maxBatchBytes, maxEventsPerBatch, type FeatureUsageEvent } from '../shared/engagementEvent';
import { TextEncoder } from 'node:util';
import { installRecordingTransport, type RecordingTransport } from '../../test/support/recordingTransport';

const options: DeliveryOptions = {
  endpoint: '/bizmetrics/events',
  maxBatchSize: 3,
  flushIntervalMs: 5000,
  maxQueueSize: 10,
  retryBaseMs: 1000,
  retryMaxMs: 8000,
  random: () => 0.5,
};

function feature(name: string): FeatureUsageEvent {
  return { type: 'feature_usage', feature: name, userTier: 'pro', isNewUser: false, at: 1 };
}

function featureNames(transport: RecordingTransport): string[] {
  return transport.eventsOfType('feature_usage').map((event) => event.feature);
}

/** Lets the fake fetch's promise chain settle under fake timers. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

let transport: RecordingTransport;

beforeEach(() => {
  jest.useFakeTimers();
  transport = installRecordingTransport();
});

afterEach(() => {
  transport.restore();
  jest.useRealTimers();
});

describe('DeliveryQueue batching', () => {
  test('a full batch goes out at once as one keepalive JSON POST', async () => {
    const queue = new DeliveryQueue(options);
    queue.enqueue(feature('a'));
    queue.enqueue(feature('b'));
    expect(transport.sends).toHaveLength(0);
    queue.enqueue(feature('c'));
    await settle();

    expect(transport.sends).toHaveLength(1);
    const [send] = transport.sends;
    expect(send?.via).toBe('fetch');
    expect(send?.url).toBe('/bizmetrics/events');
    expect(send?.init).toMatchObject({ method: 'POST', keepalive: true, headers: { 'content-type': 'application/json' } });
    expect(featureNames(transport)).toEqual(['a', 'b', 'c']);
    expect(queue.stats()).toEqual({ sent: 3, dropped: 0, failedSends: 0, queued: 0 });
  });

  test('a partial batch waits for the flush interval, not longer', async () => {
    const queue = new DeliveryQueue(options);
    queue.enqueue(feature('a'));
    jest.advanceTimersByTime(4999);
    await settle();
    expect(transport.sends).toHaveLength(0);
    jest.advanceTimersByTime(1);
    await settle();
    expect(featureNames(transport)).toEqual(['a']);
  });

  test('batches never exceed the wire format limits of count and bytes', async () => {
    const queue = new DeliveryQueue({ ...options, maxBatchSize: 500, maxQueueSize: 1000 });
    const long = 'x'.repeat(1000);
    for (let i = 0; i < 120; i++) queue.enqueue(feature(`${long}${i}`));
    await queue.flush();

    expect(transport.sends.length).toBeGreaterThan(1);
    for (const send of transport.sends) {
      expect(send.events.length).toBeLessThanOrEqual(maxEventsPerBatch);
      expect(new TextEncoder().encode(send.init?.body as string).length).toBeLessThanOrEqual(maxBatchBytes);
    }
    expect(featureNames(transport)).toEqual(Array.from({ length: 120 }, (_, i) => `${long}${i}`));
  });

  test('malformed and oversized events are dropped alone and counted', async () => {
    const queue = new DeliveryQueue(options);
    queue.enqueue(feature(''));
    queue.enqueue({ ...feature('x'), isNewUser: 'yes' as unknown as boolean });
    queue.enqueue(feature('y'.repeat(maxBatchBytes)));
    queue.enqueue(feature(10n as unknown as string));
    queue.enqueue(feature('ok'));
    await queue.flush();
    expect(featureNames(transport)).toEqual(['ok']);
    expect(queue.stats().dropped).toBe(4);
  });
});

describe('DeliveryQueue retries', () => {
  test('failed sends retry with exponential backoff and deliver each event once', async () => {
    transport.fetchAnswers.push(0, 503, 0);
    const queue = new DeliveryQueue(options);
    queue.enqueue(feature('a'));
    queue.enqueue(feature('b'));
    queue.enqueue(feature('c'));
    await settle();
    expect(transport.sends).toHaveLength(1);

    // random() = 0.5 gives 3/4 of the ceiling: ceilings 1000, 2000, 4000 ms.
    const expectedDelays = [750, 1500, 3000];
    for (const [index, delay] of expectedDelays.entries()) {
      jest.advanceTimersByTime(delay - 1);
      await settle();
      expect(transport.sends).toHaveLength(index + 1);
      jest.advanceTimersByTime(1);
      await settle();
      expect(transport.sends).toHaveLength(index + 2);
    }
    expect(transport.sends.map((send) => send.status)).toEqual([0, 503, 0, 202]);
    expect(featureNames(transport)).toEqual(['a', 'b', 'c']);
    expect(queue.stats()).toEqual({ sent: 3, dropped: 0, failedSends: 3, queued: 0 });
  });

  test('backoff is capped at retryMaxMs and jittered between half and all of it', async () => {
    const draws = [0, 0.999, 0, 0.999, 0, 0.999];
    const queue = new DeliveryQueue({ ...options, random: () => draws.shift() ?? 0 });
    transport.fetchAnswers.push(0, 0, 0, 0, 0, 0);
    queue.enqueue(feature('a'));
    await queue.flush();
    const delays: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      const before = Date.now();
      const sends = transport.sends.length;
      while (transport.sends.length === sends) {
        jest.advanceTimersByTime(50);
        await settle();
      }
      delays.push(Date.now() - before);
    }
    // Ceilings 1000, 2000, 4000, 8000, 8000 (cap), 8000 (cap); equal jitter spans [ceiling/2, ceiling).
    const ceilings = [1000, 2000, 4000, 8000, 8000, 8000];
    delays.forEach((delay, i) => {
      const ceiling = ceilings[i] as number;
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling + 50);
    });
    expect(delays[0]).toBeLessThan(delays[1] as number);
  });

  test('while the endpoint is down the queue stays bounded, dropping the oldest and counting them', async () => {
    transport.fetchAnswers.push(...Array<number>(50).fill(0));
    const queue = new DeliveryQueue({ ...options, maxQueueSize: 5 });
    for (let i = 0; i < 12; i++) queue.enqueue(feature(`f${i}`));
    await settle();
    expect(queue.stats().queued).toBe(5);
    expect(queue.stats().dropped).toBe(7);

    transport.fetchAnswers.length = 0;
    await jest.advanceTimersByTimeAsync(20_000);
    expect(featureNames(transport)).toEqual(['f7', 'f8', 'f9', 'f10', 'f11']);
    expect(queue.stats()).toMatchObject({ sent: 5, dropped: 7, queued: 0 });
  });

  test('a batch the endpoint refuses with a 4xx is dropped, not retried forever', async () => {
    transport.fetchAnswers.push(400);
    const queue = new DeliveryQueue(options);
    queue.enqueue(feature('bad'));
    await queue.flush();
    await jest.advanceTimersByTimeAsync(120_000);
    expect(transport.sends).toHaveLength(1);
    expect(queue.stats()).toMatchObject({ sent: 0, dropped: 1, queued: 0 });
  });
});

describe('DeliveryQueue beacon', () => {
  test('flushWithBeacon hands every queued event to sendBeacon as a text body, once', async () => {
    const queue = new DeliveryQueue({ ...options, maxBatchSize: 2 });
    transport.fetchAnswers.push(0);
    queue.enqueue(feature('a'));
    queue.enqueue(feature('b'));
    await settle(); // the first batch failed and waits for its retry
    queue.enqueue(feature('c'));
    queue.flushWithBeacon();

    expect(transport.sends.filter((send) => send.via === 'beacon').map((send) => send.events.length)).toEqual([2, 1]);
    expect(featureNames(transport)).toEqual(['a', 'b', 'c']);
    await jest.advanceTimersByTimeAsync(120_000);
    expect(featureNames(transport)).toEqual(['a', 'b', 'c']);
    expect(queue.stats()).toMatchObject({ sent: 3, queued: 0 });
  });

  test('a refused beacon falls back to a keepalive fetch', async () => {
    transport.beaconAccepts = false;
    const queue = new DeliveryQueue(options);
    queue.enqueue(feature('a'));
    queue.flushWithBeacon();
    await settle();
    expect(transport.sends.map((send) => send.via)).toEqual(['fetch']);
    expect(transport.sends[0]?.init?.keepalive).toBe(true);
    expect(featureNames(transport)).toEqual(['a']);
  });
});
