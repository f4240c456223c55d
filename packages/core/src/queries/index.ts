// Public surface of @bizmetrics/core/queries: the guide's PromQL, in one place, each export by name.
export { guideAdoptionQueryAsPrinted, guideQueries } from './guideQueries';
export type { GuideQueryName } from './guideQueries';
export { cumulativeBucketCounts, histogramQuantileValue } from './histogramQuantileValue';
export {
  activeUsersByWindowAndTier,
  cartAbandonmentRatio,
  conversionRatio,
  funnelAbandonedSessions,
  funnelAbandonmentPercent,
  funnelStepRate,
  funnelStepsPerMinute,
  histogramMean,
  histogramQuantile,
  indent,
  newUserFeatureAdoption,
  revenuePerMinuteByRegion,
  selector,
} from './promqlBuilders';
