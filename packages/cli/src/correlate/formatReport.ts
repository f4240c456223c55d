import type { CorrelationReport } from './correlationReport';
import { formatCoefficient, formatNumber, formatPValue } from './formatNumber';
import { formatPromDuration } from './promDuration';

/** The human-readable report `bizmetrics correlate` prints. */
export function formatReport(report: CorrelationReport): string {
  const { correlation: c, points, window } = report;
  const lines: string[] = [];
  const unit = (u: string) => (u === '' ? '' : `, ${u}`);
  lines.push(`Correlation of ${report.technical.name} and ${report.business.name}`);
  lines.push(`  technical  ${report.technical.query}${report.technical.name === report.technical.query ? '' : `  (${report.technical.name}${unit(report.technical.unit)})`}`);
  lines.push(`  business   ${report.business.query}${report.business.name === report.business.query ? '' : `  (${report.business.name}${unit(report.business.unit)})`}`);
  lines.push(`  window     ${window.start} → ${window.end}, step ${formatPromDuration(window.stepSeconds)}`);
  lines.push(
    `  points     ${points.aligned} aligned of ${points.expected} (${points.dropped} dropped: gaps, staleness or NaN; technical has ${points.technical}, business ${points.business})`,
  );
  lines.push('');
  const lagText = report.lag.seconds === 0 ? 'no lag' : `business ${formatPromDuration(report.lag.seconds)} behind technical`;
  const searched = window.maxLagSeconds === 0 ? 'lag search off' : `searched 0–${formatPromDuration(window.maxLagSeconds)}`;
  lines.push(`Strongest at ${lagText} (${searched})`);
  lines.push(
    `  Pearson r   ${formatCoefficient(c.pearson)}   95% CI [${formatCoefficient(c.interval95[0])}, ${formatCoefficient(c.interval95[1])}]`,
  );
  lines.push(`  Spearman ρ  ${formatCoefficient(c.spearman)}`);
  const adjusted = report.lag.tested > 1 ? `, p ${formatPValue(c.pValueAdjusted)} after testing ${report.lag.tested} lags` : '';
  lines.push(`  confidence  p ${formatPValue(c.pValue)}${adjusted} (n = ${c.n}, effective n ≈ ${Math.round(c.effectiveN)})`);
  if (report.lag.seconds !== 0) {
    lines.push(`  at lag 0    Pearson ${formatCoefficient(report.atZeroLag.pearson)}, Spearman ${formatCoefficient(report.atZeroLag.spearman)}`);
  }
  lines.push('');
  lines.push(`Verdict: ${c.summary}${c.significant ? '' : ' (the data cannot tell this coefficient from noise)'}`);
  if (report.impact) {
    lines.push(`Impact:  ${report.impact.statement}; R² = ${formatNumber(report.impact.rSquared, 2)}`);
  }
  for (const warning of report.warnings) lines.push(`Warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}
