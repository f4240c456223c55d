import { useEngagementTracking } from '@bizmetrics/adapters/react';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { formatCents, shopApi, type DashboardData } from '../shopApi';

function RevenueChart(props: { data: Record<string, number>; title: string }): ReactNode {
  const entries = Object.entries(props.data);
  const max = Math.max(1, ...entries.map(([, v]) => v));
  return (
    <div className="panel" data-testid="chart">
      <strong>{props.title}</strong>
      <svg width="100%" height={entries.length * 34 + 10} role="img" aria-label={props.title}>
        {entries.map(([label, value], i) => (
          <g key={label} transform={`translate(0, ${i * 34 + 6})`}>
            <text x="0" y="18" fontSize="13">{label}</text>
            <rect x="130" y="4" height="20" rx="4" width={`${(value / max) * 60}%`} fill="#4f46e5" />
            <text x="135" y="18" fontSize="12" fill="#fff">{formatCents(value)}</text>
          </g>
        ))}
      </svg>
    </div>
  );
}

/** Downloads the orders as CSV without leaving the page. */
async function exportDashboardData(): Promise<void> {
  const response = await fetch('/api/dashboard/export.csv');
  if (!response.ok) throw new Error(`export failed with ${response.status}`);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = 'orders.csv';
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The guide's DashboardPage: export → `dashboard_export` feature usage, first chart → `first_chart_created` milestone. */
export function DashboardPage(): ReactNode {
  const { trackFeature, trackMilestone } = useEngagementTracking({ userTier: 'pro', entryPage: '/dashboard', isNewUser: false });
  const [data, setData] = useState<DashboardData | null>(null);
  const [charts, setCharts] = useState<('category' | 'region')[]>([]);
  const [error, setError] = useState<string | null>(null);
  const firstChart = useRef(window.localStorage.getItem('dashboard_first_chart') === null);

  useEffect(() => {
    shopApi.dashboard().then(setData).catch((e: Error) => setError(e.message));
  }, []);

  const handleExportClick = () => {
    // Track feature usage when the user exports data, then perform the export.
    trackFeature('dashboard_export');
    exportDashboardData().catch((e: Error) => setError(e.message));
  };

  const handleAddChart = () => {
    trackFeature('dashboard_chart');
    if (firstChart.current) {
      // The milestone: the first chart this user ever created.
      firstChart.current = false;
      window.localStorage.setItem('dashboard_first_chart', '1');
      trackMilestone('first_chart_created');
    }
    setCharts((current) => [...current, current.length % 2 === 0 ? 'category' : 'region']);
  };

  if (error) return <div className="error">{error}</div>;
  if (data === null) return <p className="muted">Loading…</p>;
  return (
    <>
      <h1>Dashboard</h1>
      <div className="toolbar">
        <button className="primary" onClick={handleExportClick} data-testid="export">Export Data</button>
        <button className="secondary" onClick={handleAddChart} data-testid="add-chart">Add chart</button>
      </div>
      <div className="kpis">
        <div className="panel kpi"><div className="value" data-testid="orders-count">{data.orders}</div><div className="label">orders</div></div>
        <div className="panel kpi"><div className="value">{formatCents(data.revenueCents)}</div><div className="label">revenue</div></div>
        <div className="panel kpi"><div className="value">{data.orders > 0 ? formatCents(Math.round(data.revenueCents / data.orders)) : '–'}</div><div className="label">average order value</div></div>
      </div>
      {charts.map((kind, i) =>
        kind === 'category' ? (
          <RevenueChart key={i} data={data.revenueByCategory} title="Revenue by product category" />
        ) : (
          <RevenueChart key={i} data={data.revenueByRegion} title="Revenue by region" />
        ),
      )}
      <table>
        <thead><tr><th>Order</th><th>Total</th><th>Items</th><th>Category</th><th>Region</th><th>Payment</th></tr></thead>
        <tbody>
          {data.latest.map((order) => (
            <tr key={order.id}>
              <td>{order.id}</td><td>{formatCents(order.totalCents)}</td><td>{order.itemCount}</td>
              <td>{order.category}</td><td>{order.region}</td><td>{order.paymentMethod}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
