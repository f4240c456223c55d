// Realistic arguments for the guide's six methods: a rotation of 50 label combinations per method,
// drawn once from small value sets with a seeded generator, so every contender sees the same calls
// in the same order and the series tables stay as warm as in a real service (not one constant set).

import { seededRandom } from '@bizmetrics/test-support';

/** What the three contenders share: the guide's six record methods. */
export interface GuideService {
  recordFunnelStep(step: string, metadata: { source: string; deviceType: string; experimentVariant?: string }): void;
  recordConversion(type: string, metadata: { source: string; deviceType: string; sessionStartTime: Date }): void;
  recordRevenue(amountCents: number, metadata: { productCategory: string; paymentMethod: string; region: string }): void;
  recordFeatureUsage(featureName: string, metadata: { userTier: string; isNewUser: boolean }): void;
  recordSessionEnd(sessionStartTime: Date, metadata: { userTier: string; entryPage: string }): void;
  updateActiveUsers(window: 'daily' | 'weekly' | 'monthly', counts: Map<string, number>): void;
}

/** Labels of the conversions counter, for timing the counter alone. */
export type ConversionLabels = {
  conversion_type: string;
  source: string;
  device_type: string;
};

export const combinations = 50;


const steps = ['cart_view', 'shipping_info', 'payment_info', 'order_review', 'order_confirmed'];
const sources = ['direct', 'google_ads', 'newsletter', 'in_app', 'facebook'];
const devices = ['desktop', 'mobile', 'tablet'];
const variants = ['control', 'variant_a', undefined];
const conversionTypes = ['purchase', 'signup', 'trial_start'];
const categories = ['electronics', 'books', 'apparel', 'home', 'toys'];
const paymentMethods = ['card', 'paypal', 'invoice'];
const regions = ['us_west', 'us_east', 'eu'];
const features = ['dashboard_export', 'report_share', 'bulk_edit', 'api_keys', 'sso_setup', 'dark_mode', 'search', 'alerts'];
const tiers = ['free', 'pro', 'enterprise'];
const entryPages = ['/', '/dashboard', '/pricing', '/blog', '/docs', '/settings', '/signup', '/checkout'];
const windows = ['daily', 'weekly', 'monthly'] as const;

export function createGuideWorkload(seed = 42) {
  const random = seededRandom(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const now = Date.now();
  const range = Array.from({ length: combinations }, (_, i) => i);
  return {
    funnelSteps: range.map(() => ({
      step: pick(steps),
      metadata: { source: pick(sources), deviceType: pick(devices), experimentVariant: pick(variants) },
    })),
    conversions: range.map(() => ({
      type: pick(conversionTypes),
      metadata: { source: pick(sources), deviceType: pick(devices), sessionStartTime: new Date(now - Math.floor(random() * 3_600_000)) },
    })),
    revenue: range.map(() => ({
      amountCents: 100 + Math.floor(random() * 60_000),
      metadata: { productCategory: pick(categories), paymentMethod: pick(paymentMethods), region: pick(regions) },
    })),
    featureUsage: range.map(() => ({
      featureName: pick(features),
      metadata: { userTier: pick(tiers), isNewUser: random() < 0.3 },
    })),
    sessionEnds: range.map(() => ({
      sessionStartTime: new Date(now - Math.floor(random() * 3_600_000)),
      metadata: { userTier: pick(tiers), entryPage: pick(entryPages) },
    })),
    activeUsers: range.map(() => ({
      window: pick(windows),
      counts: new Map(tiers.map((tier) => [tier, Math.floor(random() * 100_000)] as const)),
    })),
    conversionLabels: range.map(
      (): ConversionLabels => ({ conversion_type: pick(conversionTypes), source: pick(sources), device_type: pick(devices) }),
    ),
  };
}

export type GuideWorkload = ReturnType<typeof createGuideWorkload>;
