/** @jest-environment jsdom */
// The same guarantees on React 18 (the peer range is ^18 || ^19): every `react` and `react-dom`
// import in this file's module registry, ours and Testing Library's included, resolves to 18.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { StrictMode, version } from 'react';
import { BusinessMetricsProvider } from './index';
import { DashboardPage } from '../../test/support/guideDashboardPage';
import { installRecordingTransport, type RecordingTransport } from '../../test/support/recordingTransport';

jest.mock('react', () => jest.requireActual('react18'));
jest.mock('react/jsx-runtime', () => jest.requireActual('react18/jsx-runtime'));
jest.mock('react/jsx-dev-runtime', () => jest.requireActual('react18/jsx-dev-runtime'));
jest.mock('react-dom', () => jest.requireActual('react-dom18'));
jest.mock('react-dom/client', () => jest.requireActual('react-dom18/client'));
jest.mock('react-dom/test-utils', () => jest.requireActual('react-dom18/test-utils'));

let transport: RecordingTransport;

beforeEach(() => {
  jest.useFakeTimers();
  transport = installRecordingTransport();
});

afterEach(() => {
  cleanup();
  transport.restore();
  jest.useRealTimers();
});

async function advance(ms: number): Promise<void> {
  await act(async () => {
    await jest.advanceTimersByTimeAsync(ms);
  });
}

test('runs on React 18', () => {
  expect(version).toMatch(/^18\./);
});

test('StrictMode on React 18: each click once, one session_end by beacon on pagehide, none on unmount after it', async () => {
  const view = render(
    <StrictMode>
      <BusinessMetricsProvider endpoint="/bizmetrics/events" flushIntervalMs={60_000}>
        <DashboardPage />
      </BusinessMetricsProvider>
    </StrictMode>,
  );
  await advance(8000);
  for (let i = 0; i < 3; i++) fireEvent.click(screen.getByText('Export Data'));
  act(() => {
    window.dispatchEvent(new PageTransitionEvent('pagehide'));
  });
  view.unmount();
  await advance(60_000);

  expect(transport.sends.map((send) => send.via)).toEqual(['beacon']);
  expect(transport.eventsOfType('feature_usage')).toHaveLength(3);
  const ends = transport.eventsOfType('session_end');
  expect(ends).toHaveLength(1);
  expect(ends[0]?.durationSeconds).toBeCloseTo(8, 3);
});
