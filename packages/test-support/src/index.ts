// Shared helpers for integration tests across the monorepo (consumed from source, never built).
export { backfillOpenMetrics, promtoolBinary, startBackfilledPrometheus } from './backfillPrometheus';
export { findFreePort, findFreePorts } from './freePort';
export { ManagedProcess, ProcessGroup } from './managedProcess';
export type { ProcessExit, StartProcessOptions } from './managedProcess';
export { createGuidePromClientService } from './guidePromClientService';
export type { FunnelContext } from './guidePromClientService';
export { findSampleSum, parseExposition, sampleSum, sampleValue, scrapeExposition } from './parseExposition';
export type { ExpositionSample } from './parseExposition';
export { byLabels, metricNames, queryApi, queryInstantVector, queryRangeVector, queryScalarValue } from './queryPrometheus';
export type { InstantSample, RangeSeries } from './queryPrometheus';
export { runCommand } from './runCommand';
export type { CommandResult } from './runCommand';
export { startPrometheus } from './startPrometheus';
export type { RunningPrometheus, ScrapeTarget, StartPrometheusOptions } from './startPrometheus';
export { waitForHttpOk } from './waitForHttpOk';
export { seededRandom } from './seededRandom';
export { startRedis } from './startRedis';
export type { RunningRedis, StartRedisOptions } from './startRedis';
export { sleep, waitUntil } from './waitUntil';
export type { WaitUntilOptions } from './waitUntil';
export {
  anyPersonalData,
  base64Secret,
  bearerOrApiToken,
  cardNumber,
  emailAddress,
  hexSecret,
  iban,
  ipv4Address,
  ipv6Address,
  jsonWebToken,
  nationalId,
  opaqueIdentifier,
  personalDataArbitraries,
  phoneNumber,
  sampleValues,
} from './personalDataArbitraries';
export type { GeneratedPersonalDataFamily } from './personalDataArbitraries';
