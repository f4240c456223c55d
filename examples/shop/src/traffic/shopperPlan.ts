import { SeededRandom } from './seededRandom';
import {
  arrivals,
  cartReloadShare,
  countries,
  devices,
  featurePicks,
  journeySteps,
  leaveAfter,
  milestoneShare,
  payments,
  productPicks,
  refundReasons,
  refundShare,
  signInShare,
  tierOfAccount,
  userPoolSize,
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
  /** The account the shopper signs in with, or undefined (anonymous). */
  readonly user: { readonly id: string; readonly tier: string } | undefined;
  /** Opens the cart a second time (a reload). */
  readonly reloadsCart: boolean;
  /** Asks for a refund of the order, if there is one, and why. */
  readonly refund: 'refund' | 'cancellation' | 'chargeback' | undefined;
  /** Browser-side feature uses, sent to the ingest endpoint as the React hooks do. */
  readonly features: readonly { readonly feature: string; readonly isNewUser: boolean }[];
  /** Reaches the `first_chart_created` milestone. */
  readonly milestone: boolean;
  /** Session length the browser reports in its `session_end` event, in seconds. */
  readonly sessionSeconds: number;
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
  // Drawn after everything above, so the earlier fields of a seed's plans stay what they were.
  const account = rng.chance(signInShare) ? rng.int(0, userPoolSize - 1) : undefined;
  const user = account === undefined ? undefined : { id: `user-${account}`, tier: tierOfAccount(account) };
  const reloadsCart = rng.chance(cartReloadShare);
  const refund = rng.chance(refundShare) ? rng.weighted(refundReasons) : undefined;
  const features = Array.from({ length: rng.int(0, 3) }, () => ({ feature: rng.weighted(featurePicks), isNewUser: rng.chance(0.2) }));
  const milestone = rng.chance(milestoneShare);
  const sessionSeconds = rng.int(5, 900);
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
    user,
    reloadsCart,
    refund,
    features,
    milestone,
    sessionSeconds,
  };
}

/** The plans of shoppers `0..count-1`. */
export function planShoppers(seed: number, count: number): ShopperPlan[] {
  return Array.from({ length: count }, (_, index) => planShopper(seed, index));
}
