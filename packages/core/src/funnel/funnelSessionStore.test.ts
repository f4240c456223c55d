import type { MeterProvider } from '@opentelemetry/api';
import { findSampleSum, parseExposition } from '@bizmetrics/test-support';
import { setupBusinessMetrics } from '../runtime/setupBusinessMetrics';
import type { FunnelSessionLabels, FunnelSessions, FunnelSessionStore, FunnelStoreEvents } from './funnelSessionStore';
import { inProcessFunnelStore } from './inProcessFunnelStore';

/** A store that answers later, like a shared one: each call runs on the in-process store when `answer()` is called. */
function deferredStore() {
  const pending: (() => void)[] = [];
  const observed: MeterProvider[] = [];
  const store: FunnelSessionStore = {
    open<L extends FunnelSessionLabels>(events: FunnelStoreEvents<L>): FunnelSessions<L> {
      const inner = inProcessFunnelStore.open(events);
      return {
        step: (...args) => void pending.push(() => inner.step(...args)),
        complete: (...args) => void pending.push(() => inner.complete(...args)),
        end: (...args) => void pending.push(() => inner.end(...args)),
        sweep: () => inner.sweep(),
        get size() {
          return inner.size;
        },
      };
    },
    observe: (meterProvider) => void observed.push(meterProvider),
  };
  return { store, observed, answer: () => pending.splice(0).forEach((call) => call()) };
}

const web = { source: 'google_ads', deviceType: 'desktop' };

describe('FunnelSessionStore seam', () => {
  it('records what a store answers, when it answers, and gives it the meter provider', async () => {
    const runtime = setupBusinessMetrics();
    const deferred = deferredStore();
    const funnel = runtime.funnels.define('checkout', ['cart_view', 'payment_info', 'order_confirmed'], { store: deferred.store, clock: () => 0 });
    funnel.session('s1', web).step('cart_view');
    funnel.session('s1', web).step('cart_view');
    funnel.session('s1', web).complete({ revenue: { amountMinor: 1999, productCategory: 'books', paymentMethod: 'card', region: 'eu' } });
    const before = parseExposition(await runtime.getMetrics());
    expect(findSampleSum(before, 'business_funnel_step_total', { step: 'cart_view' }) ?? 0).toBe(0);
    // Revenue is not session state: recorded at complete(), before the store answers.
    expect(findSampleSum(before, 'business_revenue_cents_total')).toBe(1999);
    deferred.answer();
    const after = parseExposition(await runtime.getMetrics());
    expect(findSampleSum(after, 'business_funnel_step_total', { step: 'cart_view' })).toBe(1);
    expect(findSampleSum(after, 'business_funnel_step_total', { step: 'order_confirmed' })).toBe(1);
    expect(findSampleSum(after, 'business_conversions_total')).toBe(1);
    expect(findSampleSum(after, 'bizmetrics_funnel_step_anomalies_total', { kind: 'repeated' })).toBe(1);
    expect(deferred.observed).toEqual([runtime.meterProvider]);
    await runtime.shutdown();
  });

  it('interns labels a store reads back, with the funnel defaults for missing values', async () => {
    const runtime = setupBusinessMetrics();
    let closeAsIfRead: (() => FunnelSessionLabels) | undefined;
    const store: FunnelSessionStore = {
      open(events) {
        // What a shared store's sweeper does with a session it claimed: labels read back, then closed.
        closeAsIfRead = () => {
          const labels = events.labels('google_ads', 'desktop', '');
          events.closed(labels, 0, 'expired');
          return labels;
        };
        return inProcessFunnelStore.open(events);
      },
    };
    const funnel = runtime.funnels.define('checkout', ['cart_view', 'order_confirmed'], { store });
    funnel.session('s1', web).step('cart_view');
    expect(closeAsIfRead?.()).toMatchObject({ source: 'google_ads', deviceType: 'desktop', variant: 'control' });
    const text = await runtime.getMetrics();
    expect(findSampleSum(parseExposition(text), 'business_funnel_abandoned_total', { funnel: 'checkout', step: 'cart_view', experiment_variant: 'control' })).toBe(1);
    await runtime.shutdown();
  });
});
