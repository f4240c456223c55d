import { SeededRandom } from './seededRandom';
import { planShoppers } from './shopperPlan';

describe('seeded shopper plans', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const first = planShoppers(42, 300);
    const again = planShoppers(42, 300);
    const other = planShoppers(43, 300);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    // Shopper n does not depend on how many shoppers came before it.
    expect(planShoppers(42, 10)).toEqual(first.slice(0, 10));
  });

  it('pins the PRNG to the reference mulberry32 sequence for seed 42, so a refactor cannot silently change every demo', () => {
    const rng = new SeededRandom(42);
    expect([rng.next(), rng.next(), rng.next()].map((n) => n.toFixed(8))).toEqual(['0.60110375', '0.44829056', '0.85246579']);
  });

  it('mixes sources, devices, regions, variants, abandonment at every step and failing cards', () => {
    const plans = planShoppers(7, 3000);
    const share = (predicate: (plan: (typeof plans)[number]) => boolean) => plans.filter(predicate).length / plans.length;
    for (const step of ['browse', 'cart_view', 'shipping_info', 'payment_info', 'order_review', 'order_confirmed'] as const) {
      expect(share((p) => p.lastStep === step)).toBeGreaterThan(0.02);
    }
    expect(share((p) => 'utmSource' in p.arrival)).toBeGreaterThan(0.4);
    expect(share((p) => 'direct' in p.arrival)).toBeGreaterThan(0.3);
    expect(new Set(plans.map((p) => p.device)).size).toBe(5);
    expect(new Set(plans.map((p) => p.country)).size).toBe(12);
    expect(share((p) => p.variant === 'express_checkout')).toBeCloseTo(0.5, 1);
    const declined = share((p) => p.payment.method === 'card' && p.payment.cardNumber.startsWith('4000 0000 0000 0002'));
    expect(declined).toBeGreaterThan(0.02);
    expect(declined).toBeLessThan(0.07);
    expect(share((p) => p.cart.some(([id]) => id === 'hm-vase'))).toBeGreaterThan(0.01);
  });
});
