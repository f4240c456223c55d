import { BusinessMetricsService } from './businessMetricsService';

/** The guide's singleton. Its runtime (provider, Prometheus reader) is created on first use, not at import. */
export const businessMetrics = new BusinessMetricsService();
