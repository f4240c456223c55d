import { checkoutSteps } from '../catalog/businessCatalog';
import { BusinessMetricsConfigError } from '../errors';
import { Funnel, type FunnelDependencies, type FunnelOptions } from './defineFunnel';

/** The guide's checkout funnel: its steps from the catalog, `checkout_error` as a side step, `purchase` conversions. */
export const checkoutFunnelDefinition = {
  name: 'checkout',
  steps: checkoutSteps,
  sideSteps: ['checkout_error'],
  conversionType: 'purchase',
} as const;

/**
 * The funnels of one runtime (`bm.funnels`): each funnel gets the runtime's instruments, revenue
 * recorder and self-metrics through its constructor.
 */
export class Funnels {
  constructor(private readonly dependencies: FunnelDependencies | string) {}

  /**
   * Defines a funnel: ordered steps, optional side steps, and how sessions are bounded. Each session
   * counts each step once in `business_funnel_step_total{step}` (so the guide's conversion-rate
   * queries work), the last step records `business_conversions_total` and
   * `business_time_to_conversion_seconds`, and sessions that end, idle out or are evicted count in
   * `business_funnel_abandoned_total{funnel,step}` at the last step they reached.
   *
   * @example
   * const signup = bm.funnels.define('signup', ['landing', 'form', 'verified'], { conversionType: 'signup' });
   * signup.session(req.sessionID, { source: 'newsletter', deviceType: 'mobile' }).step('form');
   */
  define(name: string, steps: readonly string[], options: FunnelOptions = {}): Funnel {
    if (typeof this.dependencies === 'string') throw new BusinessMetricsConfigError(this.dependencies);
    return new Funnel(name, steps, options, this.dependencies);
  }

  /**
   * The guide's checkout funnel: cart_view → shipping_info → payment_info → order_review →
   * order_confirmed, with `checkout_error` as a side step and `purchase` conversions. Define it once.
   *
   * @example
   * const checkout = bm.funnels.checkout().session(req.session.id, { source: 'google_ads', deviceType: 'mobile' });
   * checkout.step('cart_view');
   */
  checkout(options: Omit<FunnelOptions, 'sideSteps' | 'conversionType'> = {}): Funnel {
    const { name, steps, sideSteps, conversionType } = checkoutFunnelDefinition;
    return this.define(name, steps, { ...options, sideSteps, conversionType });
  }
}
