import { RollingMinute } from './rollingMinute';

describe('RollingMinute', () => {
  it('sums what was added in the last 60 seconds', () => {
    const ring = new RollingMinute();
    ring.add(1000, 500);
    ring.add(1000, 250);
    ring.add(1030, 100);
    expect(ring.total(1030)).toBe(850);
    expect(ring.total(1059)).toBe(850);
    // second 1000 leaves the window at 1060
    expect(ring.total(1060)).toBe(100);
    expect(ring.total(1089)).toBe(100);
    expect(ring.total(1090)).toBe(0);
  });

  it('falls to zero when additions stop, without any call in between', () => {
    const ring = new RollingMinute();
    for (let s = 0; s < 60; s++) ring.add(5000 + s, 10);
    expect(ring.total(5059)).toBe(600);
    expect(ring.total(5059 + 3600)).toBe(0);
  });

  it('reuses a bucket from an earlier minute without carrying its old sum', () => {
    const ring = new RollingMinute();
    ring.add(120, 999);
    ring.add(180, 1); // same slot (180 % 60 === 120 % 60)
    expect(ring.total(180)).toBe(1);
  });

  it('is exact for a burst of integer amounts in one second', () => {
    const ring = new RollingMinute();
    for (let i = 0; i < 100_000; i++) ring.add(42, 1999);
    expect(ring.total(42)).toBe(199_900_000);
  });

  it('ignores buckets from the future (clock reads out of order)', () => {
    const ring = new RollingMinute();
    ring.add(200, 7);
    expect(ring.total(199)).toBe(0);
  });
});
