// Records what the adapter hands to `fetch` and `navigator.sendBeacon` (jsdom has neither).
import type { EngagementEvent } from '../../src/shared/engagementEvent';

export interface RecordedSend {
  readonly via: 'fetch' | 'beacon';
  readonly url: string;
  readonly init: RequestInit | undefined;
  /** HTTP status answered (0: network error; beacons count as 202). */
  readonly status: number;
  readonly events: EngagementEvent[];
}

export interface RecordingTransport {
  readonly sends: RecordedSend[];
  /** Statuses answered by the next fetches in order; 0 means a network error. Afterwards 202. */
  readonly fetchAnswers: number[];
  /** What sendBeacon returns (the browser refuses when its quota is used up). */
  beaconAccepts: boolean;
  /** Events that were delivered (2xx or accepted beacon), in order. */
  events(): EngagementEvent[];
  eventsOfType<T extends EngagementEvent['type']>(type: T): Extract<EngagementEvent, { type: T }>[];
  restore(): void;
}

export function installRecordingTransport(): RecordingTransport {
  const originalFetch = (globalThis as { fetch?: unknown }).fetch;
  const hadBeacon = typeof navigator !== 'undefined' && 'sendBeacon' in navigator;
  const transport: RecordingTransport = {
    sends: [],
    fetchAnswers: [],
    beaconAccepts: true,
    events: () => transport.sends.filter((send) => send.status >= 200 && send.status < 300).flatMap((send) => send.events),
    eventsOfType: (type) => transport.events().filter((event) => event.type === type) as never,
    restore: () => {
      (globalThis as { fetch?: unknown }).fetch = originalFetch;
      if (!hadBeacon) delete (navigator as { sendBeacon?: unknown }).sendBeacon;
    },
  };
  (globalThis as { fetch?: unknown }).fetch = async (url: string, init?: RequestInit): Promise<Response> => {
    const status = transport.fetchAnswers.shift() ?? 202;
    transport.sends.push({ via: 'fetch', url, init, status, events: parseBody(init?.body) });
    if (status === 0) throw new TypeError('Failed to fetch');
    return { status, ok: status < 300 } as Response;
  };
  Object.defineProperty(navigator, 'sendBeacon', {
    configurable: true,
    value: (url: string, body: unknown): boolean => {
      if (!transport.beaconAccepts) return false;
      transport.sends.push({ via: 'beacon', url, init: undefined, status: 202, events: parseBody(body) });
      return true;
    },
  });
  return transport;
}

function parseBody(body: unknown): EngagementEvent[] {
  if (typeof body !== 'string') throw new Error(`expected a string body, got ${typeof body}`);
  return (JSON.parse(body) as { events: EngagementEvent[] }).events;
}
