/** @jest-environment jsdom */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { StrictMode, type ReactNode } from 'react';
import { BusinessMetricsProvider, useEngagementDelivery, useEngagementTracking, useFunnelStep } from './index';
import type { BusinessMetricsProviderProps } from './index';
import { DashboardPage, exportedData } from '../../test/support/guideDashboardPage';
import { installRecordingTransport, type RecordingTransport } from '../../test/support/recordingTransport';

let transport: RecordingTransport;

beforeEach(() => {
  jest.useFakeTimers();
  transport = installRecordingTransport();
  exportedData.count = 0;
});

afterEach(() => {
  cleanup();
  transport.restore();
  jest.useRealTimers();
});

function renderInProvider(children: ReactNode, props: Partial<BusinessMetricsProviderProps> = {}) {
  return render(
    <StrictMode>
      <BusinessMetricsProvider endpoint="/bizmetrics/events" flushIntervalMs={1000} {...props}>
        {children}
      </BusinessMetricsProvider>
    </StrictMode>,
  );
}

/** Runs due timers and lets the recording fetch settle. */
async function advance(ms: number): Promise<void> {
  await act(async () => {
    await jest.advanceTimersByTimeAsync(ms);
  });
}

function clickExport(times: number): void {
  for (let i = 0; i < times; i++) fireEvent.click(screen.getByText('Export Data'));
}

function setVisibility(state: 'hidden' | 'visible'): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  act(() => {
    document.dispatchEvent(new Event('visibilitychange'));
  });
}

function pageHide(): void {
  act(() => {
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
  });
}

describe('useEngagementTracking in StrictMode', () => {
  test('the guide DashboardPage sends each click once and exactly one session_end on unmount', async () => {
    const view = renderInProvider(<DashboardPage />);
    await advance(42_000);
    clickExport(3);
    fireEvent.click(screen.getByText('Create Chart'));
    await advance(1000);
    view.unmount();
    await advance(0);

    expect(exportedData.count).toBe(3);
    expect(transport.eventsOfType('feature_usage')).toEqual(
      Array.from({ length: 3 }, () => expect.objectContaining({ feature: 'dashboard_export', userTier: 'pro', isNewUser: false })),
    );
    expect(transport.eventsOfType('milestone').map((event) => event.milestone)).toEqual(['first_chart_created']);
    const ends = transport.eventsOfType('session_end');
    expect(ends).toHaveLength(1);
    expect(ends[0]).toMatchObject({ userTier: 'pro', entryPage: '/dashboard' });
    expect(ends[0]?.durationSeconds).toBeCloseTo(43, 3);

    await advance(60 * 60_000);
    expect(transport.eventsOfType('session_end')).toHaveLength(1);
  });

  test('one provider wires the page lifecycle once, however often StrictMode re-runs effects', () => {
    const added = jest.spyOn(window, 'addEventListener');
    const removed = jest.spyOn(window, 'removeEventListener');
    renderInProvider(<DashboardPage />);
    const net = (type: string) =>
      added.mock.calls.filter(([name]) => name === type).length - removed.mock.calls.filter(([name]) => name === type).length;
    expect(net('pagehide')).toBe(1);
    expect(net('pointerdown')).toBe(1);
    added.mockRestore();
    removed.mockRestore();
  });
});

describe('session end on tab close', () => {
  test('pagehide sends the session end and queued events by beacon, once', async () => {
    const view = renderInProvider(<DashboardPage />, { flushIntervalMs: 60_000 });
    await advance(5000);
    clickExport(2);
    expect(transport.sends).toHaveLength(0);

    // Closing a tab fires visibilitychange→hidden and pagehide; both must not end the session twice.
    setVisibility('hidden');
    pageHide();
    view.unmount();
    await advance(60_000);

    expect(transport.sends.map((send) => send.via)).toEqual(['beacon']);
    expect(transport.events().map((event) => event.type)).toEqual(['feature_usage', 'feature_usage', 'session_end']);
    expect(transport.eventsOfType('session_end')[0]?.durationSeconds).toBeCloseTo(5, 3);
  });

  test('a session end that fills a batch still waits for the beacon', async () => {
    const view = renderInProvider(<DashboardPage />, { maxBatchSize: 2, flushIntervalMs: 60_000 });
    clickExport(1);
    pageHide();
    view.unmount();
    await advance(60_000);
    expect(transport.sends.map((send) => send.via)).toEqual(['beacon']);
    expect(transport.events().map((event) => event.type)).toEqual(['feature_usage', 'session_end']);
  });

  test('a session hidden and shown again ends once per visible stretch', async () => {
    const view = renderInProvider(<DashboardPage />);
    await advance(3000);
    setVisibility('hidden');
    await advance(600_000);
    setVisibility('visible');
    await advance(7000);
    view.unmount();
    await advance(0);

    const durations = transport.eventsOfType('session_end').map((event) => event.durationSeconds);
    expect(durations).toHaveLength(2);
    expect(durations[0]).toBeCloseTo(3, 3);
    expect(durations[1]).toBeCloseTo(7, 3);
  });
});

describe('idle timeout', () => {
  test('a session without interaction ends once, at its last activity', async () => {
    const view = renderInProvider(<DashboardPage />, { idleTimeoutMs: 60_000 });
    await advance(10_000);
    clickExport(1);
    await advance(59_999);
    expect(transport.eventsOfType('session_end')).toHaveLength(0);
    await advance(1);
    expect(transport.eventsOfType('session_end')).toHaveLength(1);
    expect(transport.eventsOfType('session_end')[0]?.durationSeconds).toBeCloseTo(10, 3);

    await advance(10 * 60_000);
    view.unmount();
    await advance(0);
    expect(transport.eventsOfType('session_end')).toHaveLength(1);
  });

  test('interaction after an idle end starts a new session', async () => {
    const view = renderInProvider(<DashboardPage />, { idleTimeoutMs: 60_000 });
    await advance(120_000);
    act(() => {
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }));
    });
    await advance(4000);
    view.unmount();
    await advance(0);
    const durations = transport.eventsOfType('session_end').map((event) => event.durationSeconds);
    expect(durations).toHaveLength(2);
    expect(durations[0]).toBeCloseTo(0, 3);
    expect(durations[1]).toBeCloseTo(4, 3);
  });
});

describe('clock and labels', () => {
  test('duration comes from the monotonic clock: a wall-clock jump does not change it', async () => {
    const view = renderInProvider(<DashboardPage />);
    await advance(20_000);
    jest.setSystemTime(Date.now() - 3_600_000);
    view.unmount();
    await advance(0);
    expect(transport.eventsOfType('session_end')[0]?.durationSeconds).toBeCloseTo(20, 3);
  });

  test('a new userTier ends the session and starts another, as in the guide', async () => {
    function Page({ tier }: { tier: string }) {
      const { trackFeature } = useEngagementTracking({ userTier: tier, entryPage: '/reports', isNewUser: true });
      return <button onClick={() => trackFeature('report_share')}>Share</button>;
    }
    const view = renderInProvider(<Page tier="free" />);
    await advance(2000);
    view.rerender(
      <StrictMode>
        <BusinessMetricsProvider endpoint="/bizmetrics/events" flushIntervalMs={1000}>
          <Page tier="enterprise" />
        </BusinessMetricsProvider>
      </StrictMode>,
    );
    fireEvent.click(screen.getByText('Share'));
    await advance(3000);
    view.unmount();
    await advance(0);

    expect(transport.eventsOfType('session_end').map((event) => [event.userTier, Math.round(event.durationSeconds)])).toEqual([
      ['free', 2],
      ['enterprise', 3],
    ]);
    expect(transport.eventsOfType('feature_usage').map((event) => event.userTier)).toEqual(['enterprise']);
  });
});

describe('funnel steps, delivery stats and no provider', () => {
  test('useFunnelStep sends the step; useEngagementDelivery counts it', async () => {
    let stats: (() => { sent: number }) | undefined;
    function Cart() {
      const { trackFunnelStep } = useFunnelStep();
      stats = useEngagementDelivery().stats;
      return <button onClick={() => trackFunnelStep('cart_view')}>Cart</button>;
    }
    renderInProvider(<Cart />);
    fireEvent.click(screen.getByText('Cart'));
    await advance(1000);
    expect(transport.eventsOfType('funnel_step').map((event) => event.step)).toEqual(['cart_view']);
    expect(stats?.().sent).toBe(1);
  });

  test('without a provider the hooks do nothing and never throw', async () => {
    function Lonely() {
      const { trackFunnelStep } = useFunnelStep();
      return <button onClick={() => trackFunnelStep('cart_view')}>Cart</button>;
    }
    const view = render(
      <StrictMode>
        <DashboardPage />
        <Lonely />
      </StrictMode>,
    );
    clickExport(2);
    fireEvent.click(screen.getByText('Cart'));
    view.unmount();
    await advance(60_000);
    expect(exportedData.count).toBe(2);
    expect(transport.sends).toHaveLength(0);
  });

  test('a broken transport never reaches the click handler', async () => {
    (globalThis as { fetch?: unknown }).fetch = () => {
      throw new Error('synchronous failure');
    };
    Object.defineProperty(navigator, 'sendBeacon', {
      configurable: true,
      value: () => {
        throw new Error('beacon failure');
      },
    });
    const view = renderInProvider(<DashboardPage />, { maxBatchSize: 1 });
    expect(() => clickExport(3)).not.toThrow();
    pageHide();
    view.unmount();
    await advance(10_000);
    expect(exportedData.count).toBe(3);
  });
});
