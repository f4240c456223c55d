import { randomUUID } from 'node:crypto';
import type { Attributes, MeterProvider as MeterProviderApi } from '@opentelemetry/api';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, MeterProvider, type MetricReader } from '@opentelemetry/sdk-metrics';
import { businessCatalog } from '../catalog/businessCatalog';
import type { MetricDefinition } from '../catalog/metricDefinition';
import { assertValidCatalog } from '../catalog/validateCatalog';
import { BusinessMetricsConfigError } from '../errors';
import { defaultLabelValuePolicy } from '../guard/labelValue';
import { RefusalReporter } from '../guard/refusalReporter';
import { activeUsersTrackerFor, type ActiveUsersOptions, type ActiveUsersTracker } from '../activeUsers/activeUsersTracker';
import { BusinessMetrics } from '../instruments/businessMetrics';
import { ExportFailureTally, registerSelfMetrics } from '../instruments/selfMetrics';
import { resolveCurrencyOptions, revenueRecorderFor, type RevenueRecorder } from '../revenue/revenueRecorder';
import { businessViews } from '../views/businessViews';
import { BoundHistograms } from './boundHistogramExport';
import { AbandonableConnections, PendingExports, shutdownWithin, type ShutdownOptions, type ShutdownResult } from './boundedShutdown';
import { createOtlpReader, otlpUrl, type AbandonablePushes, type OtlpOptions } from './otlpExport';
import { PrometheusEndpoint, type PrometheusOptions } from './prometheusEndpoint';

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

/** What `setupBusinessMetrics` returns, minus the guide-compatible service. */
export interface MetricsRuntime<C extends readonly MetricDefinition[] = typeof businessCatalog> {
  /** The typed API over the catalog. */
  readonly metrics: BusinessMetrics<C>;
  /** The provider the instruments live on (yours in attach mode). */
  readonly meterProvider: MeterProviderApi;
  /** The Prometheus endpoint, unless `prometheus: false` or attach mode. */
  readonly prometheus: PrometheusEndpoint | undefined;
  /**
   * Revenue and refunds in minor units with the `currency` label, and the rolling revenue per
   * minute; `undefined` when a custom catalog lacks the revenue metrics.
   */
  readonly revenue: RevenueRecorder | undefined;
  /** HyperLogLog active-user sketches behind `business_active_users` (created on first use). */
  readonly activeUsers: ActiveUsersTracker | undefined;
  /** Failed OTLP pushes so far. */
  readonly exportFailures: ExportFailureTally;
  /**
   * Histograms recorded through bound attribute sets (no per-record hashing), exported by this
   * runtime's readers; `undefined` in attach mode, where the readers are yours. The Express
   * adapter's request duration uses it.
   */
  readonly boundHistograms: BoundHistograms | undefined;
  /** The Prometheus text exposition of everything recorded. */
  getMetrics(): Promise<string>;
  /** Pushes what is pending to push exporters. */
  forceFlush(): Promise<void>;
  /**
   * Flushes and stops every exporter and the own Prometheus server, within `timeoutMillis`
   * (default 3000): past it, pushes in flight are abandoned, counted in the result and logged once.
   * Never rejects.
   * @example process.once('SIGTERM', () => void bm.shutdown({ timeoutMillis: 3000 }).finally(() => process.exit(0)));
   */
  shutdown(options?: ShutdownOptions): Promise<ShutdownResult>;
}

function checkOptions(options: BusinessMetricsOptions<readonly MetricDefinition[]>): void {
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

/** Builds the provider, readers, views and instruments. */
export function createMetricsRuntime<C extends readonly MetricDefinition[] = typeof businessCatalog>(
  options: BusinessMetricsOptions<C> = {},
): MetricsRuntime<C> {
  checkOptions(options);
  const catalog = (options.catalog ?? businessCatalog) as unknown as C;
  assertValidCatalog(catalog);
  const strict = options.strict ?? false;
  const refusals = new RefusalReporter(strict);
  const exportFailures = new ExportFailureTally();
  const attached = options.meterProvider !== undefined;

  const boundHistograms = attached ? undefined : new BoundHistograms();
  const prometheus =
    boundHistograms !== undefined && options.prometheus !== false
      ? new PrometheusEndpoint(options.prometheus || {}, [boundHistograms.producer(AggregationTemporality.CUMULATIVE)])
      : undefined;
  let ownProvider: MeterProvider | undefined;
  let abandonable: AbandonablePushes | undefined;
  let meterProvider: MeterProviderApi;
  if (options.meterProvider !== undefined) {
    meterProvider = options.meterProvider;
  } else {
    const readers: MetricReader[] = [];
    if (prometheus) readers.push(prometheus.reader);
    if (options.otlp) {
      abandonable = { pending: new PendingExports(), connections: new AbandonableConnections() };
      readers.push(createOtlpReader(options.otlp, exportFailures, boundHistograms, abandonable));
    }
    const resource = defaultResource().merge(
      resourceFromAttributes({
        'service.name': options.serviceName ?? process.env['OTEL_SERVICE_NAME'] ?? 'unknown_service:node',
        'service.instance.id': options.serviceInstanceId ?? randomUUID(),
        ...(options.serviceVersion ? { 'service.version': options.serviceVersion } : {}),
        ...(options.environment ? { 'deployment.environment.name': options.environment } : {}),
        ...options.resourceAttributes,
      }),
    );
    ownProvider = new MeterProvider({ resource, views: businessViews(catalog), readers });
    meterProvider = ownProvider;
  }

  const meter = meterProvider.getMeter('bizmetrics', '0.1.0');
  const metrics = new BusinessMetrics(meter, catalog, {
    refusals,
    strict,
    cardinalityLimit: options.cardinalityLimit ?? 1000,
    labelValuePolicy: { ...defaultLabelValuePolicy, maxLength: options.maxLabelValueLength ?? defaultLabelValuePolicy.maxLength },
  });
  registerSelfMetrics(meter, refusals, exportFailures);
  // The revenue and active-user feeds need the guide's instruments; a custom catalog may lack them.
  const guideMetrics = metrics as unknown as BusinessMetrics<typeof businessCatalog>;
  const revenueOptions = { defaultCurrency: options.defaultCurrency, acceptedCurrencies: options.acceptedCurrencies, clock: options.revenueWindowClock };
  const names = new Set(catalog.map((definition) => definition.name));
  const revenueNames = ['business_revenue_cents', 'business_order_value_cents', 'business_revenue_per_minute_cents'];
  const hasRevenue = revenueNames.every((name) => names.has(name));
  const hasActiveUsers = names.has('business_active_users');

  const runtime: MetricsRuntime<C> = {
    metrics,
    meterProvider,
    revenue: hasRevenue ? revenueRecorderFor(guideMetrics, revenueOptions) : undefined,
    activeUsers: hasActiveUsers ? activeUsersTrackerFor(guideMetrics, options.activeUsers) : undefined,
    prometheus,
    exportFailures,
    boundHistograms,
    async getMetrics() {
      if (prometheus === undefined) {
        throw new BusinessMetricsConfigError(
          'bizmetrics: getMetrics() needs the Prometheus reader; it is off with prometheus: false or your own meterProvider',
        );
      }
      return prometheus.scrape();
    },
    async forceFlush() {
      await ownProvider?.forceFlush();
    },
    shutdown(shutdownOptions?: ShutdownOptions) {
      return shutdownWithin(
        {
          stop: async () => ownProvider?.shutdown(),
          ...abandonable,
          failures: exportFailures,
          ...(options.otlp === undefined ? {} : { target: otlpUrl(options.otlp) }),
        },
        shutdownOptions,
      );
    },
  };
  return runtime;
}
