import { assertPaired, mean } from './pearson';

export interface LinearFit {
  /** Change of y per unit of x. */
  slope: number;
  /** y at x = 0. */
  intercept: number;
  /** Share of the variance of y explained by x. */
  rSquared: number;
}

/** Ordinary least squares y = intercept + slope·x. NaN slope when x is constant. */
export function linearRegression(x: readonly number[], y: readonly number[]): LinearFit {
  assertPaired(x, y);
  const meanX = mean(x);
  const meanY = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = (x[i] as number) - meanX;
    const dy = (y[i] as number) - meanY;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0) return { slope: Number.NaN, intercept: Number.NaN, rSquared: Number.NaN };
  const slope = sxy / sxx;
  const rSquared = syy === 0 ? Number.NaN : (sxy * sxy) / (sxx * syy);
  return { slope, intercept: meanY - slope * meanX, rSquared };
}
