// A dashboard page written the way the guide shows React apps using its engagement hook: one
// feature use per export click, one milestone when the first chart is created. Ours, in the guide's
// API (`useEngagementTracking` returning `trackFeature` and `trackMilestone`). The export itself is
// the app's business; here it only counts, so a test can check that tracking never swallowed a click.
import { useEngagementTracking } from '../../src/react';

export const exportedData = { count: 0 };

export function DashboardPage() {
  const { trackFeature, trackMilestone } = useEngagementTracking({ userTier: 'pro', entryPage: '/dashboard', isNewUser: false });

  const exportData = () => {
    trackFeature('dashboard_export');
    exportedData.count++;
  };

  return (
    <div>
      <button onClick={exportData}>Export Data</button>
      <button onClick={() => trackMilestone('first_chart_created')}>Create Chart</button>
    </div>
  );
}
