import { businessCatalog } from '../catalog/businessCatalog';
import { prometheusName } from '../catalog/metricDefinition';
import { guideAdoptionQueryAsPrinted, guideQueries } from './guideQueries';
import { activeUsersByWindowAndTier, newUserFeatureAdoption } from './promqlBuilders';

/** Every series name the catalog exports through Prometheus. */
const catalogSeries = new Set(
  businessCatalog.flatMap((definition) => {
    const base = prometheusName(definition);
    return definition.kind === 'histogram' ? [`${base}_bucket`, `${base}_sum`, `${base}_count`] : [base];
  }),
);

/** Identifiers that look like metric names (`business_...`) in a PromQL text. */
const seriesIn = (promql: string): string[] => promql.match(/\bbusiness_[a-z_]+\b/g) ?? [];

describe('guideQueries', () => {
  it('reads only series the catalog exports, so the guide queries cannot point at a renamed metric', () => {
    for (const [name, promql] of Object.entries({ ...guideQueries, guideAdoptionQueryAsPrinted })) {
      const series = seriesIn(promql);
      expect({ name, series: series.length > 0 }).toEqual({ name, series: true });
      for (const used of series) expect({ name, used, known: catalogSeries.has(used) }).toEqual({ name, used, known: true });
    }
  });

  it('keeps the adoption fix: the fixed query matches the printed one except for ignoring(feature_name) group_left', () => {
    expect(guideAdoptionQueryAsPrinted).not.toContain('group_left');
    expect(guideQueries.newUserFeatureAdoptionPercent.replace('/ ignoring(feature_name) group_left', '/')).toBe(guideAdoptionQueryAsPrinted);
    expect(newUserFeatureAdoption('business_feature_usage_total')).toContain('/ ignoring(feature_name) group_left()');
  });
});

describe('activeUsersByWindowAndTier', () => {
  it('takes the max over instances (never a sum of per-process estimates), keeping window and tier', () => {
    expect(activeUsersByWindowAndTier('business_active_users', ['job=~"$service"'])).toBe(
      'max by (window, user_tier) (business_active_users{job=~"$service"})',
    );
    expect(activeUsersByWindowAndTier('business_active_users')).not.toMatch(/\bsum\b/);
  });
});
