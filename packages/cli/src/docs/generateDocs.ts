import { activeUsersMetric, overflowAttributeName, prometheusName, type MetricDefinition } from '@bizmetrics/core';
import { assertUsableCatalog } from '../catalog/loadCatalog';
import { exprUsesMetric, seriesNames } from '../catalog/catalogLookup';
import { defaultGeneratorConfig, type GeneratorConfig } from '../config/generatorConfig';
import { activeUsersByWindowAndTier, histogramQuantile, selector } from '@bizmetrics/core/queries';
import { buildAlertRules } from '../rules/alertRules';
import { buildRecordingRules } from '../rules/recordingRules';
import type { AlertRule, RecordingRule } from '../rules/ruleTypes';
import { describeBoundary, describeUnit } from './unitDescription';

const kindTitles = { counter: 'Counter', histogram: 'Histogram', gauge: 'Gauge' } as const;

/** Markdown table cells must not break the row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function code(text: string): string {
  return `\`${text}\``;
}

/** A query to start from when the guide has none for this metric. */
function exampleQuery(definition: MetricDefinition): string {
  const name = prometheusName(definition);
  const firstLabel = definition.labels[0]?.name;
  const by = firstLabel === undefined ? '' : ` by (${firstLabel})`;
  if (definition.kind === 'counter') return `sum${by} (rate(${selector(name)}[5m]))`;
  if (definition.kind === 'histogram') return histogramQuantile(name, 0.95, firstLabel === undefined ? [] : [firstLabel], '1h');
  // Each instance reports the global distinct count (shared sketch store), so instances are not added up.
  if (definition.name === activeUsersMetric.name) return activeUsersByWindowAndTier(name);
  return `sum${by} (${name})`;
}

function labelSection(definition: MetricDefinition): string[] {
  if (definition.labels.length === 0) return ['No labels.'];
  const rows = definition.labels.map((label) => {
    const examples = (label.examples ?? []).map(code).join(', ') || '—';
    return `| ${code(label.name)} | ${cell(label.description)} | ${examples} | ${cell(labelShape(label))} | ${code(label.default ?? 'unknown')} |`;
  });
  return [
    '| Label | Description | Example values | Accepted values | When missing |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    `Bounds: values are cut to 64 characters (\`maxLabelValueLength\`), and past \`cardinalityLimit\` (default 1000) series per instrument new label sets are recorded in the one overflow series ${code(`{${overflowAttributeName.replace(/\./g, '_')}="true"}`)} (no other label).`,
  ];
}

/** The label's declared shape: a closed set, a pattern, or any value (capped); and what happens outside it. */
function labelShape(label: MetricDefinition['labels'][number]): string {
  const shape = label.values;
  const outside = shape?.outsideValue === undefined ? 'others refused' : `others recorded as ${code(shape.outsideValue)}`;
  if (shape?.closed === true) return `one of ${(label.knownValues ?? []).map(code).join(', ')}; ${outside}`;
  if (shape?.pattern !== undefined) return `matching ${code(`^(?:${shape.pattern})$`)}; ${outside}`;
  return 'any (personal data becomes `redacted`)';
}

function bucketSection(definition: MetricDefinition): string[] {
  if (definition.kind !== 'histogram' || definition.buckets === undefined) return [];
  const rows = definition.buckets.map((bound) => `| ${bound} | ${describeBoundary(bound, definition.unit)} |`);
  return ['', '**Bucket boundaries** (`le`, plus `+Inf`)', '', '| Upper bound | Reads as |', '|---|---|', ...rows];
}

function alertSection(alerts: readonly AlertRule[]): string[] {
  if (alerts.length === 0) return ['', '**Alerts:** none.'];
  const rows = alerts.map((alert) => `| ${alert.alert} | ${cell(alert.annotations['summary'] ?? '')} | ${alert.for} | ${alert.labels['severity'] ?? ''} | ${alert.labels['team'] ?? ''} |`);
  return ['', '**Alerts using it**', '', '| Alert | Fires when | For | Severity | Team |', '|---|---|---|---|---|', ...rows];
}

function querySection(definition: MetricDefinition, recordings: readonly RecordingRule[]): string[] {
  const blocks = recordings.length > 0
    ? recordings.flatMap((rule) => [`# recorded as ${rule.record}`, rule.expr, ''])
    : [exampleQuery(definition), ''];
  return ['', '**Example PromQL**', '', '```promql', ...blocks.slice(0, -1), '```'];
}

function metricSection(definition: MetricDefinition, alerts: readonly AlertRule[], recordings: readonly RecordingRule[]): string[] {
  const series = seriesNames(definition).map(code).join(', ');
  const valueType = definition.valueType ?? 'non_negative';
  return [
    `## ${prometheusName(definition)}`,
    '',
    definition.description,
    '',
    '| | |',
    '|---|---|',
    `| Type | ${kindTitles[definition.kind]} |`,
    `| Unit | ${code(definition.unit)} (${describeUnit(definition.unit)}) |`,
    `| Values | ${valueType === 'integer' ? 'non-negative integers' : 'finite, non-negative numbers'} |`,
    `| Owner | ${cell(definition.owner)} |`,
    `| OpenTelemetry instrument | ${code(definition.name)} |`,
    `| Prometheus series | ${series} |`,
    '',
    '**Labels**',
    '',
    ...labelSection(definition),
    ...bucketSection(definition),
    ...alertSection(alerts.filter((alert) => exprUsesMetric(alert.expr, definition))),
    ...querySection(
      definition,
      recordings.filter((rule) => exprUsesMetric(rule.expr, definition)),
    ),
    '',
  ];
}

/** Markdown documentation of every metric in the catalog, with the alerts and recording rules that use it. */
export function generateDocs(catalog: readonly MetricDefinition[], config: GeneratorConfig = defaultGeneratorConfig()): string {
  assertUsableCatalog(catalog);
  const alerts = buildAlertRules(catalog, config).rules;
  const recordings = buildRecordingRules(catalog, config).rules;
  const index = catalog.map(
    (definition) =>
      `| [${code(prometheusName(definition))}](#${prometheusName(definition)}) | ${kindTitles[definition.kind]} | ${code(definition.unit)} | ${cell(definition.owner)} | ${cell(definition.description)} |`,
  );
  const lines = [
    '# Business metrics',
    '',
    '<!-- Generated by `bizmetrics docs` from the metric catalog. Do not edit by hand: run `pnpm exec bizmetrics docs`. -->',
    '',
    `${catalog.length} metrics. Counters are scraped with a \`_total\` suffix; histograms as \`_bucket\`, \`_sum\` and \`_count\` series.`,
    'Alerts and recorded series are in the rule files `bizmetrics rules` writes (`business-alerts.yml`, `business-recording.yml`).',
    '',
    '| Metric | Type | Unit | Owner | Description |',
    '|---|---|---|---|---|',
    ...index,
    '',
    ...catalog.flatMap((definition) => metricSection(definition, alerts, recordings)),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}
