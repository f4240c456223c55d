import { BusinessMetricsProvider } from '@bizmetrics/adapters/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    {/* One delivery queue for the whole app; events reach /bizmetrics/events (the adapter's ingest endpoint) within 2 s. */}
    <BusinessMetricsProvider endpoint="/bizmetrics/events" flushIntervalMs={2000}>
      <App />
    </BusinessMetricsProvider>
  </StrictMode>,
);
