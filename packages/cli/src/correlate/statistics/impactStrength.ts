/** The guide's wording, plus "not significant" when the data cannot tell a relationship from noise. */
export type ImpactStrength = 'strong' | 'moderate' | 'weak' | 'not significant';

export type ImpactDirection = 'positive' | 'negative';

/** Conventional significance level. */
export const SIGNIFICANCE_LEVEL = 0.05;

/**
 * |r| > 0.7 strong, > 0.4 moderate, else weak (the guide's thresholds), but only once p < 0.05: a −0.75 from
 * a dozen points is not "strong", it is not yet anything.
 */
export function impactStrength(r: number, pValue: number): ImpactStrength {
  if (!Number.isFinite(r) || !Number.isFinite(pValue) || pValue >= SIGNIFICANCE_LEVEL) return 'not significant';
  const magnitude = Math.abs(r);
  if (magnitude > 0.7) return 'strong';
  if (magnitude > 0.4) return 'moderate';
  return 'weak';
}

/** One sentence in the guide's style: "Strong negative impact on conversion rate". */
export function describeImpact(strength: ImpactStrength, r: number, businessName: string): string {
  const direction: ImpactDirection = r > 0 ? 'positive' : 'negative';
  switch (strength) {
    case 'strong':
      return `Strong ${direction} impact on ${businessName}`;
    case 'moderate':
      return `Moderate ${direction} impact on ${businessName}`;
    case 'weak':
      return `Weak correlation with ${businessName}`;
    case 'not significant':
      return `No significant correlation with ${businessName}`;
  }
}
