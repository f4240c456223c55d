import { DistinctClientAdmission } from './distinctClientAdmission';

describe('DistinctClientAdmission', () => {
  it('admits nothing from one client however many values it sends, then a value three clients send', () => {
    const admission = new DistinctClientAdmission(100);
    for (let i = 0; i < 2000; i++) expect(admission.admit(`random_${i}`, '203.0.113.9')).toBe(false);
    expect(admission.size).toBe(0);
    // The flood left a bounded waiting list behind.
    expect(admission.waiting).toBeLessThanOrEqual(800);
    expect(admission.admit('spring_sale', '198.51.100.1')).toBe(false);
    expect(admission.admit('spring_sale', '198.51.100.1')).toBe(false);
    expect(admission.admit('spring_sale', '198.51.100.2')).toBe(false);
    expect(admission.admit('spring_sale', '198.51.100.3')).toBe(true);
    expect(admission.admit('spring_sale', '203.0.113.9')).toBe(true);
    expect(admission.size).toBe(1);
  });

  it('keeps a value two clients sent through a flood of one-client values', () => {
    const admission = new DistinctClientAdmission(10, { maxCandidates: 50 });
    admission.admit('newsletter', 'a');
    admission.admit('newsletter', 'b');
    for (let i = 0; i < 5000; i++) admission.admit(`flood_${i}`, 'attacker');
    expect(admission.admit('newsletter', 'c')).toBe(true);
  });

  it('never gives a place back: admitted values stay, and the cap holds', () => {
    const admission = new DistinctClientAdmission(2, { minClients: 2 });
    for (const value of ['a', 'b', 'c']) for (const client of ['x', 'y']) admission.admit(value, client);
    expect(['a', 'b', 'c'].map((value) => admission.admit(value, 'z'))).toEqual([true, true, false]);
    expect(admission.size).toBe(2);
  });

  it('admits values from server code (no client) first come', () => {
    const admission = new DistinctClientAdmission(1);
    expect(admission.admit('checkout')).toBe(true);
    expect(admission.admit('other_value')).toBe(false);
  });

  it('lets each client admit up to its quota on its own, and no more', () => {
    const admission = new DistinctClientAdmission(100, { perClientQuota: 10 });
    const admitted = Array.from({ length: 2000 }, (_, i) => admission.admit(`random_${i}`, '203.0.113.9')).filter(Boolean);
    expect(admitted).toHaveLength(10);
    expect(admission.admit('spring_sale', '198.51.100.1')).toBe(true);
    expect(admission.size).toBe(11);
  });
});
