import { formatNumber } from './formatNumber';
import type { ResolvedMetricSpec } from './metricSpec';
import { formatPromDuration } from './promDuration';

/**
 * "conversion rate falls 0.8 points per 100 ms of p99 latency above baseline (baseline 250 ms → 3.1 points),
 * 10m later". Slope is in display units (after each side's scale).
 */
export function describeImpactSlope(input: {
  slope: number;
  technical: ResolvedMetricSpec;
  business: ResolvedMetricSpec;
  baselineTechnical: number;
  baselineBusiness: number;
  lagSeconds: number;
}): string {
  const { slope, technical, business } = input;
  const change = slope * technical.per;
  const verb = change < 0 ? 'falls' : 'rises';
  const businessUnit = business.unit === '' ? '' : ` ${business.unit}`;
  const technicalUnit = technical.unit === '' ? '' : ` ${technical.unit}`;
  const when = input.lagSeconds > 0 ? `, ${formatPromDuration(input.lagSeconds)} later` : '';
  return (
    `${business.name} ${verb} ${formatNumber(Math.abs(change), 2)}${businessUnit} per ${formatNumber(technical.per)}${technicalUnit} of ${technical.name} above baseline` +
    ` (baseline ${formatNumber(input.baselineTechnical)}${technicalUnit} → ${formatNumber(input.baselineBusiness)}${businessUnit})${when}`
  );
}
