import parsePrometheusTextFormat from 'parse-prometheus-text-format';

/** One sample of a scrape: its labels and value. */
export interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A parsed scrape: sample name (`business_funnel_step_total`, `..._bucket`) → samples. */
export type Scrape = ReadonlyMap<string, readonly Sample[]>;

/**
 * Parses a Prometheus text exposition with `parse-prometheus-text-format`. That parser folds a
 * histogram family into one label-less sample (it drops every label but `le`), so `# TYPE x histogram`
 * lines are removed first: `_bucket`, `_sum` and `_count` then come back as plain series with all
 * their labels, which is all the KPI arithmetic needs.
 */
export function parseScrape(text: string): Scrape {
  const withoutHistogramTypes = text
    .split('\n')
    .filter((line) => !/^#\s*TYPE\s+\S+\s+histogram\s*$/.test(line))
    .join('\n');
  const samples = new Map<string, Sample[]>();
  for (const family of parsePrometheusTextFormat(`${withoutHistogramTypes}\n`)) {
    const list = samples.get(family.name) ?? [];
    for (const metric of family.metrics) {
      if (metric.value === undefined) continue;
      list.push({ labels: metric.labels ?? {}, value: Number(metric.value) });
    }
    samples.set(family.name, list);
  }
  return samples;
}
