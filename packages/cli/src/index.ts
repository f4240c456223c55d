// Public surface of @bizmetrics/cli: each export by name.

export { main, cliVersion, commands, createProgram, exitCodes } from './cli';
export type { MainIo } from './cli';
export type { CliCommand, CliContext } from './commands/cliCommand';
export { generatingCommand } from './commands/generatingCommand';
export type { GeneratingCommandSpec } from './commands/generatingCommand';
export { addCatalogOptions, resolveInputs } from './commands/sharedOptions';
export type { CatalogOptions } from './commands/sharedOptions';

export { assertUsableCatalog, importModule, loadCatalog } from './catalog/loadCatalog';
export type { LoadCatalogOptions, ModuleImporter } from './catalog/loadCatalog';

export { defaultGeneratorConfig, generatorConfigSchema } from './config/generatorConfig';
export type { AlertSettings, GeneratorConfig, GeneratorConfigInput } from './config/generatorConfig';
export { defaultConfigFileName, parseGeneratorConfig, readGeneratorConfig } from './config/parseGeneratorConfig';

export { generateDocs } from './docs/generateDocs';
export { generateRules, renderRuleFile } from './rules/generateRules';
export type { GeneratedRules } from './rules/generateRules';
export type { AlertRule, RecordingRule, RuleGroup } from './rules/ruleTypes';
export { generateDashboard, grafanaSchemaVersion, renderDashboard } from './dashboard/generateDashboard';
export type { GrafanaDashboard, GrafanaPanel, GrafanaTarget } from './dashboard/grafanaTypes';

export { CliInputError } from './errors';

export {
  averageRanks,
  correlateMetrics,
  CorrelateError,
  correlationPresets,
  correlationPValue,
  correlationSignificance,
  crossCorrelation,
  DEFAULT_MIN_POINTS,
  describeImpact,
  effectiveSampleSize,
  fisherInterval95,
  formatReport,
  impactStrength,
  isCorrelationPresetName,
  linearRegression,
  parsePromDuration,
  pearson,
  queryRange,
  spearman,
  strongestLag,
} from './correlate/index';
export type {
  CorrelateErrorCode,
  CorrelateOptions,
  CorrelationPreset,
  CorrelationPresetName,
  CorrelationReport,
  ImpactStrength,
  LagPoint,
  LinearFit,
  MetricSpec,
  PrometheusAuth,
  PrometheusClientOptions,
  RangeQuery,
  RangeResult,
  RangeSeries,
  ReportedMetric,
  Significance,
} from './correlate/index';
export { correlateCliCommand, correlateCommand } from './commands/correlateCommand';

