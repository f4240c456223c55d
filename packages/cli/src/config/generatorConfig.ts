import { z } from 'zod';
import { isKnownCurrency } from '@bizmetrics/core';

/** A Prometheus duration such as `15m`, `1h` or `1h30m`. */
const promDuration = z
  .string()
  .regex(/^(\d+(ms|s|m|h|d|w|y))+$/, 'must be a Prometheus duration such as "15m" or "1h"');

const labelValue = z.string().min(1, 'must not be empty');

function alertSettings(defaults: { threshold: number; for: string; severity: string; team: string }, threshold: z.ZodNumber) {
  return z
    .strictObject({
      /** Leave the alert out of the generated file. */
      enabled: z.boolean().default(true),
      threshold: threshold.default(defaults.threshold),
      for: promDuration.default(defaults.for),
      severity: labelValue.default(defaults.severity),
      team: labelValue.default(defaults.team),
    })
    .prefault({});
}

const ratio = () => z.number().min(0, 'must be a ratio between 0 and 1').max(1, 'must be a ratio between 0 and 1');

/**
 * Schema of `bizmetrics.alerts.yaml`. Every field is optional; the defaults are the guide's values.
 * Unknown keys are refused so that a typo (`treshold`) fails loudly instead of silently using the default.
 */
export const generatorConfigSchema = z
  .strictObject({
    alerts: z
      .strictObject({
        /** Conversion rate (order_confirmed / cart_view over 1h) below `threshold`. */
        conversionRateDrop: alertSettings({ threshold: 0.02, for: '15m', severity: 'critical', team: 'product' }, ratio()),
        /** Revenue per minute (cents) below `threshold`. */
        revenueBelowBaseline: alertSettings(
          { threshold: 50000, for: '10m', severity: 'warning', team: 'business' },
          z.number().min(0, 'must be cents per minute, >= 0'),
        ),
        /** Cart abandonment (1 - conversion) above `threshold`. */
        highCartAbandonment: alertSettings({ threshold: 0.85, for: '30m', severity: 'warning', team: 'product' }, ratio()),
        /** New-user feature usage this 24h over the same 24h a week ago below `threshold`. */
        newUserEngagementDrop: alertSettings({ threshold: 0.7, for: '1h', severity: 'warning', team: 'growth' }, z.number().min(0)),
        /** The business metrics are not scraped at all (`threshold` unused). */
        businessMetricsAbsent: alertSettings({ threshold: 0, for: '10m', severity: 'critical', team: 'platform' }, z.number()),
      })
      .prefault({}),
    guards: z
      .strictObject({
        /** The funnel alerts stay quiet below this many cart views per hour (a quiet night must not page). 0 turns the guard off. */
        minCartViewsPerHour: z.number().min(0).default(60),
        /** NewUserEngagementDrop stays quiet when last week saw fewer new-user feature uses per day than this. */
        minNewUserFeatureUsesPerDay: z.number().min(0).default(100),
        /** Series whose absence means "the business metrics stopped arriving". Default: the funnel counter. */
        absentMetric: z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'must be a Prometheus metric name').optional(),
      })
      .prefault({}),
    rules: z
      .strictObject({
        /** Quantiles recorded for the session-duration histogram. */
        sessionDurationQuantiles: z.array(ratio()).min(1).default([0.5, 0.95, 0.99]),
      })
      .prefault({}),
    dashboard: z
      .strictObject({
        title: z.string().min(1).default('Business metrics'),
        uid: z
          .string()
          .regex(/^[a-zA-Z0-9_-]{1,40}$/, 'must be 1-40 letters, digits, "-" or "_" (a Grafana uid)')
          .default('bizmetrics-business'),
        /**
         * Base name of the HTTP server duration histogram shown beside the business panels. The
         * OpenTelemetry JS Prometheus exporter adds no unit suffix, so the Express adapter's
         * `http.server.request.duration` is scraped as `http_server_request_duration_bucket`.
         */
        technicalMetric: z
          .string()
          .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'must be a Prometheus metric name')
          .default('http_server_request_duration'),
        /** Label the `service` template variable selects on; `job` is set by Prometheus on every scraped series. */
        serviceLabel: z
          .string()
          .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be a Prometheus label name')
          .default('job'),
        /**
         * ISO 4217 code of the amounts in cents (minor units): money panels divide by the currency's
         * minor-unit factor and show the currency instead of a bare count of cents.
         */
        currency: z
          .string()
          .refine((code) => isKnownCurrency(code), 'must be an ISO 4217 currency code such as USD or EUR')
          .default('USD'),
      })
      .prefault({}),
  })
  .prefault({});

/** Settings of the rule and dashboard generators, as parsed from `bizmetrics.alerts.yaml`. */
export type GeneratorConfig = z.output<typeof generatorConfigSchema>;
/** What a user may write in `bizmetrics.alerts.yaml` (everything optional). */
export type GeneratorConfigInput = z.input<typeof generatorConfigSchema>;
/** Settings of one alert. */
export type AlertSettings = GeneratorConfig['alerts']['conversionRateDrop'];

/** The guide's values. */
export function defaultGeneratorConfig(): GeneratorConfig {
  return generatorConfigSchema.parse(undefined);
}
