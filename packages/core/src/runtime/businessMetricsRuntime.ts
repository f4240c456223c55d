import { randomUUID } from 'node:crypto';
import type { Meter, MeterProvider as MeterProviderApi } from '@opentelemetry/api';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, MeterProvider, type MetricReader } from '@opentelemetry/sdk-metrics';
import { ActiveUsersTracker } from '../activeUsers/activeUsersTracker';
import type { MetricDefinition } from '../catalog/metricDefinition';
import { assertValidCatalog } from '../catalog/validateCatalog';
import { BusinessMetricsConfigError } from '../errors';
import { BoundHistograms } from '../export/boundHistogramExport';
import { createOtlpReader } from '../export/otlpExport';
import { PrometheusEndpoint } from '../export/prometheusEndpoint';
import type { FunnelDependencies } from '../funnel/defineFunnel';
import { FunnelSelfMetrics } from '../funnel/funnelSelfMetrics';
import { Funnels } from '../funnel/funnels';
import { firstComeAdmission } from '../guard/admission';
import { defaultLabelValuePolicy } from '../guard/labelValue';
import { RefusalReporter } from '../guard/refusalReporter';
import { BusinessMetrics } from '../instruments/businessMetrics';
import type { GuardContext } from '../instruments/guardContext';
import { RevenueRecorder } from '../revenue/revenueRecorder';
import { ExportFailureTally } from '../selfMetrics/exportFailures';
import { SelfCounter, type SelfCounterDescriptor } from '../selfMetrics/selfCounter';
import { GuideService, MissingInstrument, type GuideParts } from '../service/guideService';
import { businessViews, defaultCardinalityLimit } from '../views/businessViews';
import { checkOptions, type BusinessMetricsOptions } from './businessMetricsOptions';

/**
 * The one runtime `setupBusinessMetrics` builds: it owns the provider and its readers, the catalog,
 * the guards (shared limits, admission, refusal reporting), the guarded instruments, revenue,
 * active users, funnels and the guide's service, and hands each of them what it needs through its
 * constructor (as OpenTelemetry's `MeterProvider` hands `MeterProviderSharedState` to its meters).
 * Nothing looks the runtime up anywhere: code that records takes it (or a part of it) explicitly.
 */
export class BusinessMetricsRuntime<C extends readonly MetricDefinition[]> {
  /** The typed API over the catalog. */
  readonly metrics: BusinessMetrics<C>;
  /** The provider the instruments live on (yours in attach mode). */
  readonly meterProvider: MeterProviderApi;
  /** The meter of the business instruments and self-metrics (scope `bizmetrics`). */
  readonly meter: Meter;
  /** The Prometheus endpoint, unless `prometheus: false` or attach mode. */
  readonly prometheus: PrometheusEndpoint | undefined;
  /** The limits, admission policy and refusal reporter every guard shares. */
  readonly guard: GuardContext;
  /**
   * Revenue and refunds in minor units with the `currency` label, and the rolling revenue per
   * minute; `undefined` when a custom catalog lacks the revenue metrics.
   */
  readonly revenue: RevenueRecorder | undefined;
  /** HyperLogLog active-user sketches behind `business_active_users`; `undefined` without that metric. */
  readonly activeUsers: ActiveUsersTracker | undefined;
  /** Per-session funnels recording into this runtime: `bm.funnels.define(...)`, `bm.funnels.checkout()`. */
  readonly funnels: Funnels;
  /** The guide's API (`recordFunnelStep`, `recordRevenue`, ...) on the same instruments. */
  readonly service: GuideService;
  /** Failed OTLP pushes so far. */
  readonly exportFailures: ExportFailureTally;
  /**
   * Histograms recorded through bound attribute sets (no per-record hashing), exported by this
   * runtime's readers; `undefined` in attach mode, where the readers are yours. The Express
   * adapter's request duration uses it.
   */
  readonly boundHistograms: BoundHistograms | undefined;
  private readonly ownProvider: MeterProvider | undefined;
  private readonly selfCounters = new Map<string, SelfCounter>();

  constructor(catalog: C, options: BusinessMetricsOptions<C> = {}) {
    checkOptions(options);
    assertValidCatalog(catalog);
    const strict = options.strict ?? false;
    const cardinalityLimit = options.cardinalityLimit ?? defaultCardinalityLimit;
    const refusals = new RefusalReporter(strict);
    this.exportFailures = new ExportFailureTally();
    this.guard = {
      refusals,
      strict,
      cardinalityLimit,
      admission: options.admission ?? firstComeAdmission,
      labelValuePolicy: { ...defaultLabelValuePolicy, maxLength: options.maxLabelValueLength ?? defaultLabelValuePolicy.maxLength },
    };

    const attached = options.meterProvider !== undefined;
    this.boundHistograms = attached ? undefined : new BoundHistograms();
    this.prometheus =
      this.boundHistograms !== undefined && options.prometheus !== false
        ? new PrometheusEndpoint(options.prometheus || {}, [this.boundHistograms.producer(AggregationTemporality.CUMULATIVE)])
        : undefined;
    if (options.meterProvider !== undefined) {
      this.meterProvider = options.meterProvider;
    } else {
      const readers: MetricReader[] = [];
      if (this.prometheus) readers.push(this.prometheus.reader);
      if (options.otlp) readers.push(createOtlpReader(options.otlp, this.exportFailures, cardinalityLimit, this.boundHistograms));
      const resource = defaultResource().merge(
        resourceFromAttributes({
          'service.name': options.serviceName ?? process.env['OTEL_SERVICE_NAME'] ?? 'unknown_service:node',
          'service.instance.id': options.serviceInstanceId ?? randomUUID(),
          ...(options.serviceVersion ? { 'service.version': options.serviceVersion } : {}),
          ...(options.environment ? { 'deployment.environment.name': options.environment } : {}),
          ...options.resourceAttributes,
        }),
      );
      this.ownProvider = new MeterProvider({ resource, views: businessViews(catalog, cardinalityLimit), readers });
      this.meterProvider = this.ownProvider;
    }

    const meter = this.meterProvider.getMeter('bizmetrics', '0.1.0');
    this.meter = meter;
    const metrics = new BusinessMetrics(meter, catalog, this.guard);
    this.metrics = metrics;
    refusals.counter.observeOn(meter);
    this.exportFailures.exports.observeOn(meter);
    this.exportFailures.dataPoints.observeOn(meter);

    // Features need the guide's instruments by name; a custom catalog may lack them.
    const revenue = metrics.findCounter('business_revenue_cents');
    const orderValue = metrics.findHistogram('business_order_value_cents');
    const perMinute = metrics.findGauge('business_revenue_per_minute_cents');
    this.revenue =
      revenue !== undefined && orderValue !== undefined && perMinute !== undefined
        ? new RevenueRecorder(
            { revenue, orderValue, perMinute, refunds: metrics.findCounter('business_refunds_cents') },
            { defaultCurrency: options.defaultCurrency, acceptedCurrencies: options.acceptedCurrencies, clock: options.revenueWindowClock },
            this.guard.admission,
          )
        : undefined;
    const activeUsersGauge = metrics.findGauge('business_active_users');
    this.activeUsers = activeUsersGauge === undefined ? undefined : new ActiveUsersTracker(activeUsersGauge, options.activeUsers, this.guard.admission);
    this.funnels = new Funnels(this.funnelDependencies(metrics, meter));
    this.service = new GuideService(this.guideParts(metrics));
  }

  /** The Prometheus text exposition of everything recorded. */
  async getMetrics(): Promise<string> {
    if (this.prometheus === undefined) {
      throw new BusinessMetricsConfigError(
        'bizmetrics: getMetrics() needs the Prometheus reader; it is off with prometheus: false or your own meterProvider',
      );
    }
    return this.prometheus.scrape();
  }

  /** Pushes what is pending to push exporters. */
  async forceFlush(): Promise<void> {
    await this.ownProvider?.forceFlush();
  }

  /** Flushes and stops every exporter and the own Prometheus server. */
  async shutdown(): Promise<void> {
    await this.ownProvider?.shutdown();
  }

  /**
   * The self-metric counter named `descriptor.name` on this runtime's meter, created (and exposed)
   * on the first call: adapters count their own troubles here, so several middlewares or handlers
   * on one runtime share one instrument.
   */
  selfCounter(descriptor: SelfCounterDescriptor): SelfCounter {
    let counter = this.selfCounters.get(descriptor.name);
    if (counter === undefined) {
      counter = new SelfCounter(descriptor);
      counter.observeOn(this.meter);
      this.selfCounters.set(descriptor.name, counter);
    }
    return counter;
  }

  private funnelDependencies(metrics: BusinessMetrics<C>, meter: Meter): FunnelDependencies | string {
    const stepCounter = metrics.findCounter('business_funnel_step');
    const conversions = metrics.findCounter('business_conversions');
    const timeToConversion = metrics.findHistogram('business_time_to_conversion_seconds');
    const abandoned = metrics.findCounter('business_funnel_abandoned');
    if (stepCounter === undefined || conversions === undefined || timeToConversion === undefined || abandoned === undefined) {
      return 'bizmetrics: funnels need business_funnel_step, business_conversions, business_time_to_conversion_seconds and business_funnel_abandoned in the catalog';
    }
    return { stepCounter, conversions, timeToConversion, abandoned, revenue: this.revenue, selfMetrics: new FunnelSelfMetrics(meter) };
  }

  private guideParts(metrics: BusinessMetrics<C>): GuideParts {
    const refuseUnknown = (name: string): void => metrics.refuseUnknown(name, 'metric');
    const missing = (name: string): MissingInstrument => new MissingInstrument(name, refuseUnknown);
    return {
      funnelStep: metrics.findCounter('business_funnel_step') ?? missing('business_funnel_step'),
      conversions: metrics.findCounter('business_conversions') ?? missing('business_conversions'),
      timeToConversion: metrics.findHistogram('business_time_to_conversion_seconds') ?? missing('business_time_to_conversion_seconds'),
      featureUsage: metrics.findCounter('business_feature_usage') ?? missing('business_feature_usage'),
      sessionDuration: metrics.findHistogram('business_session_duration_seconds') ?? missing('business_session_duration_seconds'),
      activeUsersGauge: metrics.findGauge('business_active_users') ?? missing('business_active_users'),
      revenue: this.revenue,
      activeUsers: this.activeUsers,
      refuseUnknown,
      getMetrics: () => this.getMetrics(),
    };
  }
}
