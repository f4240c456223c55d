import { checkoutSteps } from '../catalog/businessCatalog';
import { defineFunnel } from './defineFunnel';

/**
 * The guide's checkout funnel, ready to use: cart_view → shipping_info → payment_info →
 * order_review → order_confirmed, with `checkout_error` as a side step and `purchase` conversions.
 * Records into the guide's `businessMetrics` singleton; `checkoutFunnel.withRuntime(bm)` records
 * into your own `setupBusinessMetrics()` result.
 *
 * @example
 * const checkout = checkoutFunnel.session(req.session.id, { source: 'google_ads', deviceType: 'mobile', experimentVariant: 'b' });
 * checkout.step('cart_view');
 * checkout.complete({ revenue: { amountMinor: 4999, productCategory: 'books', paymentMethod: 'card', region: 'eu' } });
 */
export const checkoutFunnel = defineFunnel('checkout', checkoutSteps, { sideSteps: ['checkout_error'], conversionType: 'purchase' });
