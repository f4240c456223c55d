import { SeededRandom } from './seededRandom';
import {
  arrivals,
  countries,
  devices,
  journeySteps,
  leaveAfter,
  payments,
  productPicks,
  variants,
  variantShippingRelief,
  type Arrival,
  type JourneyStep,
  type PaymentPlan,
} from './shopperMix';

/** Everything a simulated shopper will do, decided up front from the seed: the same seed, the same plans. */
export interface ShopperPlan {
  readonly index: number;
  readonly arrival: Arrival;
  readonly device: string;
  readonly userAgent: string;
  readonly variant: string;
  readonly country: string;
  /** Product pages opened before adding to the cart. */
  readonly viewed: readonly string[];
  /** `[productId, quantity]` added to the cart. */
  readonly cart: readonly (readonly [string, number])[];
  readonly payment: PaymentPlan;
  /** Last step reached; `order_confirmed` means the shopper tries to pay. */
  readonly lastStep: JourneyStep;
  /** Pause before each request, in milliseconds (scaled by the runner). */
  readonly thinkMs: readonly number[];
}

/** The plan of shopper `index` of the run seeded with `seed`. */
export function planShopper(seed: number, index: number): ShopperPlan {
  const rng = new SeededRandom(seed).fork(index);
  const arrival = rng.weighted(arrivals);
  const device = rng.weighted(devices);
  const variant = rng.weighted(variants);
  const country = rng.weighted(countries);
  const viewed = Array.from({ length: rng.int(0, 2) }, () => rng.weighted(productPicks));
  const lines = new Map<string, number>();
  const lineCount = rng.weighted([[1, 60], [2, 28], [3, 12]] as const);
  for (let i = 0; i < lineCount; i += 1) {
    const id = rng.weighted(productPicks);
    lines.set(id, Math.min(10, (lines.get(id) ?? 0) + rng.weighted([[1, 80], [2, 15], [3, 5]] as const)));
  }
  const payment = rng.weighted(payments);

  let lastStep: JourneyStep = 'order_confirmed';
  for (const step of journeySteps) {
    if (step === 'order_confirmed') break;
    let leave = leaveAfter[step];
    if (step !== 'browse') leave += device.extraAbandonment;
    if (step === 'cart_view') leave -= variantShippingRelief[variant] ?? 0;
    if (rng.chance(leave)) {
      lastStep = step;
      break;
    }
  }
  const thinkMs = Array.from({ length: 12 }, () => rng.int(150, 1200));
  return {
    index,
    arrival,
    device: device.name,
    userAgent: device.userAgent,
    variant,
    country,
    viewed,
    cart: [...lines],
    payment,
    lastStep,
    thinkMs,
  };
}

/** The plans of shoppers `0..count-1`. */
export function planShoppers(seed: number, count: number): ShopperPlan[] {
  return Array.from({ length: count }, (_, index) => planShopper(seed, index));
}
