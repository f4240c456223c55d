/** @jest-environment node */
import { version } from 'react';
import { renderToString } from 'react-dom/server';
import { BusinessMetricsProvider } from './index';
import { DashboardPage } from '../../test/support/guideDashboardPage';

jest.mock('react', () => jest.requireActual('react18'));
jest.mock('react/jsx-runtime', () => jest.requireActual('react18/jsx-runtime'));
jest.mock('react-dom/server', () => jest.requireActual('react-dom18/server'));

test('React 18 renderToString without window renders the guide DashboardPage', () => {
  expect(version).toMatch(/^18\./);
  expect(typeof window).toBe('undefined');
  const html = renderToString(
    <BusinessMetricsProvider>
      <DashboardPage />
    </BusinessMetricsProvider>,
  );
  expect(html).toContain('<button>Export Data</button>');
});
