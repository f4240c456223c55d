/** @jest-environment node */
import { renderToString } from 'react-dom/server';
import { BusinessMetricsProvider, useFunnelStep } from './index';
import { DashboardPage } from '../../test/support/guideDashboardPage';

function Cart() {
  const { trackFunnelStep } = useFunnelStep();
  return <button onClick={() => trackFunnelStep('cart_view')}>Cart</button>;
}

describe('server-side rendering', () => {
  test('runs in an environment without window, document or navigator', () => {
    expect(typeof window).toBe('undefined');
    expect(typeof document).toBe('undefined');
    // Node 21+ has a global navigator, but without sendBeacon; the adapter must not rely on either.
    expect(typeof (globalThis.navigator as { sendBeacon?: unknown } | undefined)?.sendBeacon).toBe('undefined');
  });

  test('renderToString renders the guide DashboardPage inside the provider without touching the browser', () => {
    const fetchSpy = jest.fn();
    const originalFetch = globalThis.fetch;
    globalThis.fetch = fetchSpy as unknown as typeof fetch;
    try {
      const html = renderToString(
        <BusinessMetricsProvider endpoint="/bizmetrics/events">
          <DashboardPage />
          <Cart />
        </BusinessMetricsProvider>,
      );
      expect(html).toContain('<button>Export Data</button>');
      expect(html).toContain('<button>Cart</button>');
      expect(fetchSpy).not.toHaveBeenCalled();
    } finally {
      globalThis.fetch = originalFetch;
    }
  });
});
