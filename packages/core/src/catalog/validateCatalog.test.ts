import { assertValidCatalog, BusinessMetricsConfigError, businessCatalog, findCatalogProblems, type MetricDefinition } from '../index';

const valid: MetricDefinition = {
  name: 'business_signups',
  kind: 'counter',
  unit: '{signup}',
  description: 'Sign-ups',
  owner: 'Growth Team',
  labels: [{ name: 'plan', description: 'Plan chosen' }],
};

function entry(overrides: Partial<Record<keyof MetricDefinition, unknown>>): MetricDefinition {
  return { ...valid, ...overrides } as MetricDefinition;
}

describe('findCatalogProblems', () => {
  it('finds nothing wrong with the guide catalog', () => {
    expect(findCatalogProblems(businessCatalog)).toEqual([]);
    expect(() => assertValidCatalog(businessCatalog)).not.toThrow();
  });

  it.each<[string, MetricDefinition, string, string, RegExp]>([
    ['bad name', entry({ name: 'business-signups' }), 'business-signups', 'name', /must match.*"business-signups"/],
    ['missing name', entry({ name: undefined }), '#0', 'name', /must match/],
    ['name starting with __', entry({ name: '__signups' }), '__signups', 'name', /reserved/],
    ['unknown kind', entry({ kind: 'summary' }), 'business_signups', 'kind', /counter, histogram or gauge/],
    ['missing unit', entry({ unit: undefined }), 'business_signups', 'unit', /UCUM/],
    ['empty description', entry({ description: '  ' }), 'business_signups', 'description', /non-empty/],
    ['no owner', entry({ owner: '' }), 'business_signups', 'owner', /owning team/],
    ['bad valueType', entry({ valueType: 'float' }), 'business_signups', 'valueType', /integer/],
    ['labels not an array', entry({ labels: 'plan' }), 'business_signups', 'labels', /array/],
    ['bad label name', entry({ labels: [{ name: 'plan-name', description: '' }] }), 'business_signups', 'labels[0].name', /must match/],
    ['reserved label name', entry({ labels: [{ name: '__plan', description: '' }] }), 'business_signups', 'labels[0].name', /reserves/],
    ...(['user_id', 'session_id', 'email', 'ip', 'timestamp'] as const).map(
      (name) =>
        [
          `forbidden label ${name}`,
          entry({ labels: [{ name: 'plan', description: '' }, { name, description: '' }] }),
          'business_signups',
          'labels[1].name',
          /personal or unbounded data/,
        ] as [string, MetricDefinition, string, string, RegExp],
    ),
    [
      'forbidden label by suffix',
      entry({ labels: [{ name: 'billing_email', description: '' }] }),
      'business_signups',
      'labels[0].name',
      /personal or unbounded/,
    ],
    [
      'label declared twice',
      entry({ labels: [{ name: 'plan', description: '' }, { name: 'plan', description: '' }] }),
      'business_signups',
      'labels[1].name',
      /declared twice/,
    ],
    [
      'le on a histogram',
      entry({ kind: 'histogram', buckets: [1, 2], labels: [{ name: 'le', description: '' }] }),
      'business_signups',
      'labels[0].name',
      /reserved for histogram buckets/,
    ],
    ['histogram without buckets', entry({ kind: 'histogram' }), 'business_signups', 'buckets', /needs ascending bucket boundaries/],
    ['empty buckets', entry({ kind: 'histogram', buckets: [] }), 'business_signups', 'buckets', /needs ascending/],
    ['unsorted buckets', entry({ kind: 'histogram', buckets: [60, 30, 120] }), 'business_signups', 'buckets', /strictly ascending.*60, 30, 120/],
    ['repeated bucket', entry({ kind: 'histogram', buckets: [30, 30] }), 'business_signups', 'buckets', /strictly ascending/],
    ['negative bucket', entry({ kind: 'histogram', buckets: [-10, 30] }), 'business_signups', 'buckets', /must not be negative/],
    ['infinite bucket', entry({ kind: 'histogram', buckets: [30, Infinity] }), 'business_signups', 'buckets', /finite numbers/],
    ['NaN bucket', entry({ kind: 'histogram', buckets: [Number.NaN] }), 'business_signups', 'buckets', /finite numbers/],
    ['buckets on a counter', entry({ buckets: [1, 2, 3] }), 'business_signups', 'buckets', /only histograms have buckets; this is a counter/],
    ['buckets on a gauge', entry({ kind: 'gauge', buckets: [1] }), 'business_signups', 'buckets', /this is a gauge/],
  ])('reports %s naming the entry and the field', (_case, definition, metric, field, message) => {
    const problems = findCatalogProblems([definition]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toEqual({ metric, field, message: expect.stringMatching(message) });
  });

  it('reports a name used twice on the second entry', () => {
    const problems = findCatalogProblems([valid, { ...valid, description: 'again' }]);
    expect(problems).toEqual([{ metric: 'business_signups', field: 'name', message: 'is used by another entry' }]);
  });

  it('reports a missing entry by its index', () => {
    const problems = findCatalogProblems([valid, undefined as unknown as MetricDefinition]);
    expect(problems).toEqual([{ metric: '#1', field: '(entry)', message: 'must be an object' }]);
  });

  it('lists every problem of every entry, not just the first', () => {
    const problems = findCatalogProblems([
      entry({ name: 'a', buckets: [1] }),
      entry({ name: 'b', kind: 'histogram', buckets: [2, 1], labels: [{ name: 'email', description: '' }] }),
    ]);
    expect(problems.map((p) => `${p.metric}.${p.field}`)).toEqual(['a.buckets', 'b.labels[0].name', 'b.buckets']);
  });
});

describe('assertValidCatalog', () => {
  it('throws one BusinessMetricsConfigError listing each problem as "entry: field message"', () => {
    const bad = [entry({ name: 'a', buckets: [1] }), entry({ name: 'b', labels: [{ name: 'user_id', description: '' }] })];
    let error: unknown;
    try {
      assertValidCatalog(bad);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BusinessMetricsConfigError);
    const message = (error as Error).message;
    expect(message).toContain('2 problem(s)');
    expect(message).toContain('- a: buckets only histograms have buckets');
    expect(message).toContain('- b: labels[0].name "user_id" carries personal or unbounded data');
  });
});
