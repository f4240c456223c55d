import { generateDashboard, renderDashboard } from '../dashboard/generateDashboard';
import { generatingCommand } from './generatingCommand';

/** `bizmetrics dashboard`: the Grafana dashboard JSON. */
export const dashboardCommand = generatingCommand({
  name: 'dashboard',
  description: 'write a Grafana dashboard (business panels beside HTTP latency and error rate)',
  outDescription: 'dashboard JSON file to write',
  defaultOut: 'grafana/business-dashboard.json',
  generate: (catalog, config, out) => [{ path: out, content: renderDashboard(generateDashboard(catalog, config)) }],
});
