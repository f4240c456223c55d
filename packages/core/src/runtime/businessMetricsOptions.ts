import type { Attributes, MeterProvider as MeterProviderApi } from '@opentelemetry/api';
import type { ActiveUsersOptions } from '../activeUsers/activeUsersTracker';
import type { businessCatalog } from '../catalog/businessCatalog';
import type { MetricDefinition } from '../catalog/metricDefinition';
import { BusinessMetricsConfigError } from '../errors';
import type { AdmissionFactory } from '../guard/admission';
import type { OtlpOptions } from '../export/otlpExport';
import type { PrometheusOptions } from '../export/prometheusEndpoint';
import { resolveCurrencyOptions } from '../revenue/revenueRecorder';

/** Options of `setupBusinessMetrics`. */
export interface BusinessMetricsOptions<C extends readonly MetricDefinition[] = typeof businessCatalog> {
  /** `service.name` of the resource. @default process.env.OTEL_SERVICE_NAME ?? 'unknown_service:node' */
  serviceName?: string;
  /** `service.version` of the resource. */
  serviceVersion?: string;
  /** `deployment.environment.name` of the resource, e.g. `production`. */
  environment?: string;
  /**
   * `service.instance.id` of the resource: must differ between processes of one service, or
   * their series overwrite each other behind a collector. @default a random UUID per process
   */
  serviceInstanceId?: string;
  /** More resource attributes. */
  resourceAttributes?: Attributes;
  /**
   * Prometheus pull export; `false` for none. A scrape handler is always there unless `false`.
   * @default { server: false }
   */
  prometheus?: PrometheusOptions | false;
  /** OTLP/HTTP push export; off unless given. */
  otlp?: OtlpOptions;
  /**
   * Attach to your own MeterProvider instead of creating one (no readers are created then:
   * add `businessViews()` to your provider for the bucket boundaries).
   */
  meterProvider?: MeterProviderApi;
  /** Metric definitions. @default businessCatalog (the guide's nine instruments) */
  catalog?: C;
  /** Throw `RefusedValueError` on refused values instead of dropping them: for tests and development. @default false */
  strict?: boolean;
  /** Series per instrument before new label sets go to the overflow series. @default 1000 */
  cardinalityLimit?: number;
  /**
   * Which new label sets (and tiers, regions, ...) get a place under each cap. @default first come
   * (`firstComeAdmission`); pass another `AdmissionFactory` for a policy clients cannot exhaust.
   */
  admission?: AdmissionFactory;
  /** Label values are cut to this length. @default 64 */
  maxLabelValueLength?: number;
  /**
   * ISO 4217 code of amounts recorded without a `currency` (the `currency` label's value). One
   * currency per deployment keeps the guide's revenue sums meaningful.
   * @default 'USD'
   */
  defaultCurrency?: string;
  /**
   * Currencies `recordRevenue`/`recordRefund` may name besides `defaultCurrency`; others are dropped
   * and counted. With more than one, query revenue `sum by (currency)`.
   * @default [defaultCurrency]
   */
  acceptedCurrencies?: readonly string[];
  /** Active-user sketches (`recordActiveUser`): tier cap, gauge export, clock. */
  activeUsers?: ActiveUsersOptions;
  /** Monotonic milliseconds for the rolling revenue-per-minute window; tests pass a fake. @default performance.now */
  revenueWindowClock?: () => number;
}

/** Checks options at set-up; throws `BusinessMetricsConfigError` with what to change. */
export function checkOptions(options: BusinessMetricsOptions<readonly MetricDefinition[]>): void {
  const limit = options.cardinalityLimit;
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1)) {
    throw new BusinessMetricsConfigError(`bizmetrics: cardinalityLimit must be a positive integer, got ${String(limit)}`);
  }
  const length = options.maxLabelValueLength;
  if (length !== undefined && (!Number.isSafeInteger(length) || length < 1)) {
    throw new BusinessMetricsConfigError(`bizmetrics: maxLabelValueLength must be a positive integer, got ${String(length)}`);
  }
  if (options.meterProvider !== undefined && (options.prometheus || options.otlp)) {
    throw new BusinessMetricsConfigError(
      'bizmetrics: with your own meterProvider, add readers to it yourself; remove the prometheus/otlp options or the meterProvider',
    );
  }
  resolveCurrencyOptions(options);
  const port = typeof options.prometheus === 'object' ? options.prometheus.port : undefined;
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new BusinessMetricsConfigError(`bizmetrics: prometheus.port must be 0-65535, got ${String(port)}`);
  }
}

