// The guide's `DashboardPage`, as written there, against our hook. Only the import is ours; the
// guide leaves `exportDashboardData` to the app, so it is a counter here.
import { useEngagementTracking } from '../../../src/react';

export const exportedData = { count: 0 };

function exportDashboardData(): void {
  exportedData.count++;
}

export function DashboardPage() {
  const { trackFeature, trackMilestone } = useEngagementTracking({
    userTier: 'pro',
    entryPage: '/dashboard',
    isNewUser: false,
  });

  const handleExportClick = () => {
    // Track feature usage when user exports data
    trackFeature('dashboard_export');

    // Perform the export
    exportDashboardData();
  };

  const handleFirstChartCreated = () => {
    // Track milestone when user creates their first chart
    trackMilestone('first_chart_created');
  };

  return (
    <div>
      <button onClick={handleExportClick}>Export Data</button>
      {/* ... rest of dashboard */}
      <button onClick={handleFirstChartCreated}>Create Chart</button>
    </div>
  );
}
