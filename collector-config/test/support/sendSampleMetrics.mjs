#!/usr/bin/env node
// Posts one OTLP/HTTP JSON export with every bizmetrics instrument, shaped the
// way the bizmetrics SDK exports them (cumulative temporality, the SDK's
// instrument names and units), to a collector. Node built-ins only.
//
//   node sendSampleMetrics.mjs [--endpoint http://127.0.0.1:4318] [--times 2]
//                              [--interval-ms 1500] [--service checkout]
//                              [--instance checkout-1] [--origin https://shop.example]
//                              [--units sdk|bare]
//
// With --times N it sends N exports of the same series with growing values
// (cumulative), so a delta pipeline has something to subtract.
// --units bare uses unit strings without UCUM braces ("cent", "1", "cent/min"),
// which the collector's Prometheus translation would turn into extra name
// suffixes (_cent, _ratio) if the config did not guard against them.
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    endpoint: { type: 'string', default: 'http://127.0.0.1:4318' },
    times: { type: 'string', default: '1' },
    'interval-ms': { type: 'string', default: '1500' },
    service: { type: 'string', default: 'checkout' },
    instance: { type: 'string', default: 'checkout-1' },
    origin: { type: 'string' },
    units: { type: 'string', default: 'sdk' },
  },
});

// Like an SDK: the series start before the first export (cumulativetodelta
// drops a first point whose start equals its timestamp).
const startNs = BigInt(Date.now() - 1) * 1_000_000n;
const bare = args.units === 'bare';
const unit = { count: bare ? '1' : '', cents: bare ? 'cent' : '{cent}', centsPerMinute: bare ? 'cent/min' : '{cent}/min', users: bare ? '1' : '{user}' };
const str = (key, value) => ({ key, value: { stringValue: value } });

function sum(name, unit, attrs, value, nowNs) {
  return {
    name,
    unit,
    description: `${name} (bizmetrics sample)`,
    sum: {
      aggregationTemporality: 2, // AGGREGATION_TEMPORALITY_CUMULATIVE
      isMonotonic: true,
      dataPoints: [{ attributes: attrs, startTimeUnixNano: String(startNs), timeUnixNano: String(nowNs), asDouble: value }],
    },
  };
}

function gauge(name, unit, attrs, value, nowNs) {
  return {
    name,
    unit,
    description: `${name} (bizmetrics sample)`,
    gauge: { dataPoints: [{ attributes: attrs, timeUnixNano: String(nowNs), asDouble: value }] },
  };
}

// One observation of `value` per round, into the guide's buckets.
function histogram(name, unit, attrs, bounds, value, round, nowNs) {
  const bucketCounts = new Array(bounds.length + 1).fill(0);
  const index = bounds.findIndex((b) => value <= b);
  bucketCounts[index === -1 ? bounds.length : index] = round;
  return {
    name,
    unit,
    description: `${name} (bizmetrics sample)`,
    histogram: {
      aggregationTemporality: 2,
      dataPoints: [{
        attributes: attrs,
        startTimeUnixNano: String(startNs),
        timeUnixNano: String(nowNs),
        count: String(round),
        sum: value * round,
        bucketCounts: bucketCounts.map(String),
        explicitBounds: bounds,
        min: value,
        max: value,
      }],
    },
  };
}

function exportRequest(round) {
  const now = BigInt(Date.now()) * 1_000_000n;
  const metrics = [
    sum('business_funnel_step', unit.count, [str('step', 'cart_view'), str('source', 'google_ads'), str('device_type', 'mobile'), str('experiment_variant', 'control')], 10 * round, now),
    sum('business_funnel_step', unit.count, [str('step', 'order_confirmed'), str('source', 'google_ads'), str('device_type', 'mobile'), str('experiment_variant', 'control')], 1 * round, now),
    sum('business_conversions', unit.count, [str('conversion_type', 'purchase'), str('source', 'google_ads'), str('device_type', 'mobile')], 1 * round, now),
    sum('business_revenue_cents', unit.cents, [str('product_category', 'books'), str('payment_method', 'card'), str('region', 'eu_west')], 2599 * round, now),
    sum('business_feature_usage', unit.count, [str('feature_name', 'dashboard_export'), str('user_tier', 'pro'), str('is_new_user', 'true')], 3 * round, now),
    sum('business_funnel_abandoned', unit.count, [str('step', 'payment_info'), str('source', 'google_ads'), str('device_type', 'mobile')], 2 * round, now),
    histogram('business_time_to_conversion_seconds', 's', [str('conversion_type', 'purchase')], [30, 60, 120, 300, 600, 1800, 3600], 95, round, now),
    histogram('business_order_value_cents', unit.cents, [str('product_category', 'books')], [500, 1000, 2500, 5000, 10000, 25000, 50000], 2599, round, now),
    histogram('business_session_duration_seconds', 's', [str('user_tier', 'pro'), str('entry_page', '/dashboard')], [10, 30, 60, 120, 300, 600, 1800, 3600], 42, round, now),
    gauge('business_revenue_per_minute_cents', unit.centsPerMinute, [str('region', 'eu_west')], 2599, now),
    gauge('business_active_users', unit.users, [str('window', 'daily'), str('user_tier', 'pro')], 17 + round, now),
  ];
  return {
    resourceMetrics: [{
      resource: {
        attributes: [
          str('service.name', args.service),
          str('service.namespace', 'shop'),
          str('service.instance.id', args.instance),
          str('deployment.environment.name', 'test'),
        ],
      },
      scopeMetrics: [{ scope: { name: '@bizmetrics/core', version: '0.0.0' }, metrics }],
    }],
  };
}

function post(url, body) {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    if (args.origin) headers.origin = args.origin;
    const req = request(url, { method: 'POST', headers, timeout: 10_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('timeout', () => req.destroy(new Error(`timed out posting to ${url}`)));
    req.on('error', reject);
    req.end(body);
  });
}

const url = new URL('/v1/metrics', args.endpoint);
const times = Number(args.times);
for (let round = 1; round <= times; round += 1) {
  const res = await post(url, JSON.stringify(exportRequest(round)));
  if (res.status !== 200) {
    console.error(`export ${round}/${times} to ${url} failed: HTTP ${res.status} ${res.text}`);
    process.exit(1);
  }
  console.error(`export ${round}/${times} to ${url}: HTTP ${res.status} ${res.text}` +
    (args.origin ? ` access-control-allow-origin=${res.headers['access-control-allow-origin'] ?? '(none)'}` : ''));
  if (round < times) await sleep(Number(args['interval-ms']));
}
