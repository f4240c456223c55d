import { SessionStore, type DropCause, type SessionState } from './sessionStore';

function state(now: number): SessionState<null> {
  return { furthest: 0, seen: 1, startedAt: now, lastSeen: now, labels: null };
}

function store(max: number, idleMs: number) {
  const drops: [DropCause, number][] = [];
  const sessions = new SessionStore<null>(max, idleMs, (s, cause) => drops.push([cause, s.startedAt]));
  return { sessions, drops };
}

describe('SessionStore', () => {
  it('evicts the least recently active session when full', () => {
    const { sessions, drops } = store(2, 1_000);
    sessions.insert('a', state(1));
    sessions.insert('b', state(2));
    sessions.touch('a', 3); // b is now the least recently active
    sessions.insert('c', state(4));
    expect(drops).toEqual([['evicted', 2]]);
    expect(sessions.size).toBe(2);
    expect(sessions.touch('b', 5)).toBeUndefined();
  });

  it('expires idle sessions from the front, on touch and on sweep', () => {
    const { sessions, drops } = store(10, 100);
    sessions.insert('a', state(0));
    sessions.insert('b', state(50));
    expect(sessions.touch('a', 150)).toBeUndefined(); // 150 ms idle
    expect(drops).toEqual([['expired', 0]]);
    expect(sessions.touch('b', 140)?.lastSeen).toBe(140);
    expect(sessions.expire(239)).toBe(0);
    expect(sessions.expire(241)).toBe(1);
    expect(sessions.size).toBe(0);
  });

  it('removes ended sessions without a drop', () => {
    const { sessions, drops } = store(10, 100);
    sessions.insert('a', state(0));
    expect(sessions.remove('a')?.startedAt).toBe(0);
    expect(sessions.remove('a')).toBeUndefined();
    expect(drops).toEqual([]);
  });
});
