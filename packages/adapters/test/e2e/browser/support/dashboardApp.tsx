// The page the browser test loads: the guide's DashboardPage under the provider, in StrictMode and
// React's development build, so the double effects of development mode run in a real browser too.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BusinessMetricsProvider } from '@bizmetrics/adapters/react';
import { DashboardPage } from '../../../support/guideDashboardPage';

const root = document.getElementById('root');
if (root === null) throw new Error('no #root element');
createRoot(root).render(
  <StrictMode>
    {/* A batch of two goes out by fetch at once; anything less waits, so the tab close must carry it. */}
    <BusinessMetricsProvider endpoint="/bizmetrics/events" maxBatchSize={2} flushIntervalMs={600_000}>
      <DashboardPage />
    </BusinessMetricsProvider>
  </StrictMode>,
);
