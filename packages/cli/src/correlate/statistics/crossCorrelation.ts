import { pearson } from './pearson';

export interface LagPoint {
  /** How many steps the business series trails the technical one. */
  lagSteps: number;
  /** Pairs available at this lag. */
  pairs: number;
  /** Pearson r at this lag (NaN when too few pairs or a constant side). */
  pearson: number;
}

/**
 * Pearson r between technical(t) and business(t + lag) for lag = 0..maxLagSteps, on step-indexed series where a
 * missing point is NaN. Only the business side is shifted forward: a slow page hurts conversions after it, never
 * before, and searching negative lags would double the chance of a spurious peak.
 */
export function crossCorrelation(
  technical: readonly number[],
  business: readonly number[],
  maxLagSteps: number,
  minPairs: number,
): LagPoint[] {
  const points: LagPoint[] = [];
  for (let lag = 0; lag <= maxLagSteps; lag++) {
    const { x, y } = pairsAtLag(technical, business, lag);
    points.push({ lagSteps: lag, pairs: x.length, pearson: x.length >= minPairs ? pearson(x, y) : Number.NaN });
  }
  return points;
}

/** Pairs (technical[i], business[i + lag]) where both values are present. */
export function pairsAtLag(
  technical: readonly number[],
  business: readonly number[],
  lag: number,
): { x: number[]; y: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i + lag < business.length && i < technical.length; i++) {
    const a = technical[i] as number;
    const b = business[i + lag] as number;
    if (Number.isFinite(a) && Number.isFinite(b)) {
      x.push(a);
      y.push(b);
    }
  }
  return { x, y };
}

/** The lag with the largest |r|; ties go to the shortest lag. Undefined when no lag has a coefficient. */
export function strongestLag(points: readonly LagPoint[]): LagPoint | undefined {
  let best: LagPoint | undefined;
  for (const point of points) {
    if (!Number.isFinite(point.pearson)) continue;
    if (best === undefined || Math.abs(point.pearson) > Math.abs(best.pearson)) best = point;
  }
  return best;
}
