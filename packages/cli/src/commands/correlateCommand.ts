import type { CliCommand } from './cliCommand';
import { Command, InvalidArgumentError, Option } from 'commander';
import { correlateMetrics } from '../correlate/correlateMetrics';
import { CorrelateError } from '../correlate/correlateError';
import { formatReport } from '../correlate/formatReport';
import type { MetricSpec } from '../correlate/metricSpec';
import { correlationPresets, isCorrelationPresetName } from '../correlate/presets';
import { parsePromDuration } from '../correlate/promDuration';
import type { PrometheusAuth } from '../correlate/prometheusClient';

interface CorrelateCliOptions {
  prometheus: string;
  technical?: string;
  business?: string;
  preset?: string;
  range: string;
  step: string;
  maxLag: string;
  end?: Date;
  timeout: string;
  bearerToken?: string;
  basicAuth?: string;
  technicalName?: string;
  technicalUnit?: string;
  technicalScale?: number;
  technicalPer?: number;
  businessName?: string;
  businessUnit?: string;
  businessScale?: number;
  json?: boolean;
}

/** Exit code when no report could be made (bad query, unreachable server, too little data, ...). */
export const CORRELATE_FAILURE_EXIT_CODE = 1;
/** Exit code of a usage error (an option value the command cannot use), as everywhere in the CLI. */
export const CORRELATE_USAGE_EXIT_CODE = 2;

/** `bizmetrics correlate`: how much a technical metric moves a business metric, from a real Prometheus. */
export function correlateCommand(): Command {
  const command = new Command('correlate')
    .description('correlate a technical metric (latency, errors) with a business metric (conversion, revenue) from Prometheus')
    .addOption(
      new Option('--prometheus <url>', 'Prometheus base URL').env('PROMETHEUS_URL').default('http://localhost:9090'),
    )
    .option('--technical <promql>', 'technical query, one series (the suspected cause)')
    .option('--business <promql>', 'business query, one series (the suspected effect)')
    .addOption(
      new Option('--preset <name>', 'ready-made technical/business pair; --technical/--business override it').choices(
        Object.keys(correlationPresets),
      ),
    )
    .option('--range <duration>', 'window to analyse, ending at --end', '7d')
    .option('--step <duration>', 'resolution of both series', '5m')
    .option('--max-lag <duration>', 'longest delay of the business effect to search, 0 to disable', '30m')
    .option('--end <time>', 'end of the window, RFC 3339 or Unix seconds (default: now)', parseTime)
    .option('--timeout <duration>', 'per-query timeout', '30s')
    .addOption(new Option('--bearer-token <token>', 'bearer token for Prometheus').env('PROMETHEUS_BEARER_TOKEN'))
    .addOption(new Option('--basic-auth <user:password>', 'basic auth for Prometheus').env('PROMETHEUS_BASIC_AUTH'))
    .option('--technical-name <name>', 'name of the technical metric in the report')
    .option('--technical-unit <unit>', 'unit of the technical values after --technical-scale')
    .option('--technical-scale <factor>', 'multiply technical values by this (1000: s → ms)', parseFactor)
    .option('--technical-per <amount>', 'state the impact per this many technical units (100: "per 100 ms")', parseFactor)
    .option('--business-name <name>', 'name of the business metric in the report')
    .option('--business-unit <unit>', 'unit of the business values after --business-scale')
    .option('--business-scale <factor>', 'multiply business values by this', parseFactor)
    .option('--json', 'print the report as JSON for scripts')
    .addHelpText(
      'after',
      `\nPresets:\n${Object.entries(correlationPresets)
        .map(([name, preset]) => `  ${name.padEnd(22)} ${preset.description}`)
        .join('\n')}\n\nExample:\n  bizmetrics correlate --prometheus http://localhost:9090 --preset latency-vs-conversion --range 7d --step 5m --max-lag 30m`,
    )
    .action(async (options: CorrelateCliOptions) => {
      const output = command.configureOutput();
      const writeOut = output.writeOut ?? ((text: string) => process.stdout.write(text));
      try {
        const report = await correlateMetrics({
          prometheusUrl: options.prometheus,
          technical: metricSpec(options, 'technical'),
          business: metricSpec(options, 'business'),
          range: options.range,
          step: options.step,
          maxLag: options.maxLag,
          end: options.end,
          timeoutMs: parsePromDuration(options.timeout, '--timeout') * 1000,
          auth: auth(options),
        });
        writeOut(options.json ? `${JSON.stringify(report, jsonNumbers, 2)}\n` : formatReport(report));
      } catch (error) {
        if (!(error instanceof CorrelateError)) throw error;
        if (options.json) writeOut(`${JSON.stringify({ error: { code: error.code, message: error.message } })}\n`);
        command.error(`error: ${error.message}`, {
          exitCode: error.code === 'invalid-option' ? CORRELATE_USAGE_EXIT_CODE : CORRELATE_FAILURE_EXIT_CODE,
          code: `bizmetrics.correlate.${error.code}`,
        });
      }
    });
  return command;
}

function metricSpec(options: CorrelateCliOptions, side: 'technical' | 'business'): MetricSpec {
  const preset = options.preset !== undefined && isCorrelationPresetName(options.preset) ? correlationPresets[options.preset][side] : undefined;
  const query = options[side] ?? preset?.query;
  if (query === undefined) {
    throw new CorrelateError('invalid-option', `--${side} is missing: give a PromQL query or a --preset (${Object.keys(correlationPresets).join(', ')})`);
  }
  // A user query replaces the preset's, and with it the preset's idea of names and units.
  const base: MetricSpec = options[side] === undefined && preset ? preset : { query };
  const spec: MetricSpec = { ...base };
  const name = side === 'technical' ? options.technicalName : options.businessName;
  const unit = side === 'technical' ? options.technicalUnit : options.businessUnit;
  const scale = side === 'technical' ? options.technicalScale : options.businessScale;
  if (name !== undefined) spec.name = name;
  if (unit !== undefined) spec.unit = unit;
  if (scale !== undefined) spec.scale = scale;
  if (side === 'technical' && options.technicalPer !== undefined) spec.per = options.technicalPer;
  return spec;
}

function auth(options: CorrelateCliOptions): PrometheusAuth | undefined {
  if (options.bearerToken !== undefined && options.basicAuth !== undefined) {
    throw new CorrelateError('invalid-option', 'give either --bearer-token or --basic-auth, not both');
  }
  if (options.bearerToken !== undefined) return { type: 'bearer', token: options.bearerToken };
  if (options.basicAuth !== undefined) {
    const colon = options.basicAuth.indexOf(':');
    if (colon < 0) throw new CorrelateError('invalid-option', '--basic-auth must be user:password');
    return { type: 'basic', username: options.basicAuth.slice(0, colon), password: options.basicAuth.slice(colon + 1) };
  }
  return undefined;
}

function parseTime(value: string): Date {
  const date = /^\d+(\.\d+)?$/.test(value) ? new Date(Number(value) * 1000) : new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError('use RFC 3339 (2026-11-20T12:00:00Z) or Unix seconds.');
  return date;
}

function parseFactor(value: string): number {
  const factor = Number(value);
  if (!Number.isFinite(factor) || factor <= 0) throw new InvalidArgumentError('must be a positive number.');
  return factor;
}

/** JSON has no NaN: write null, so scripts see "no value" rather than a parse error. */
function jsonNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

/** `correlate` as one entry of the `bizmetrics` command list (output and exit handling inherited from the program). */
export const correlateCliCommand: CliCommand = {
  name: 'correlate',
  register(program) {
    const command = correlateCommand();
    command.copyInheritedSettings(program);
    // Its failures are one line that says what to do, not a usage dump.
    command.showHelpAfterError(false);
    program.addCommand(command);
  },
};
