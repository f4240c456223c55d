import { SessionState, SessionStore, type DropCause } from './sessionStore';

const state = (key: string, now: number) => new SessionState<null>(key, now, now, null);

function store(max: number, idleMs: number) {
  const drops: [DropCause, number][] = [];
  const sessions = new SessionStore<null>(max, idleMs, (s, cause) => drops.push([cause, s.startedAt]));
  return { sessions, drops };
}

describe('SessionStore', () => {
  it('evicts the least recently active session when full', () => {
    const { sessions, drops } = store(2, 1_000);
    sessions.insert(state('a', 1));
    sessions.insert(state('b', 2));
    sessions.touch('a', 3); // b is now the least recently active
    sessions.insert(state('c', 4));
    expect(drops).toEqual([['evicted', 2]]);
    expect(sessions.size).toBe(2);
    expect(sessions.touch('b', 5)).toBeUndefined();
  });

  it('expires idle sessions from the front, on touch and on sweep', () => {
    const { sessions, drops } = store(10, 100);
    sessions.insert(state('a', 0));
    sessions.insert(state('b', 50));
    expect(sessions.touch('a', 150)).toBeUndefined(); // 150 ms idle
    expect(drops).toEqual([['expired', 0]]);
    expect(sessions.touch('b', 140)?.lastSeen).toBe(140);
    expect(sessions.expire(239)).toBe(0);
    expect(sessions.expire(241)).toBe(1);
    expect(sessions.size).toBe(0);
  });

  it('keeps recency order through many touches (constant-time list, not map re-insertion)', () => {
    const { sessions, drops } = store(3, 1_000_000);
    sessions.insert(state('a', 1));
    sessions.insert(state('b', 2));
    sessions.insert(state('c', 3));
    for (let t = 4; t < 1000; t++) sessions.touch(['a', 'b', 'c'][t % 3] as string, t);
    // Last touches: t=997 → 'b', 998 → 'c', 999 → 'a'; 'b' is the oldest.
    sessions.insert(state('d', 1000));
    expect(drops).toEqual([['evicted', 2]]);
    sessions.insert(state('e', 1001));
    expect(drops[1]).toEqual(['evicted', 3]);
  });

  it('removes ended sessions without a drop', () => {
    const { sessions, drops } = store(10, 100);
    sessions.insert(state('a', 0));
    expect(sessions.remove('a')?.startedAt).toBe(0);
    expect(sessions.remove('a')).toBeUndefined();
    expect(drops).toEqual([]);
  });
});
