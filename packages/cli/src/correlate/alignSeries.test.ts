import { singleSeries, toGrid } from './alignSeries';
import { formatPromDuration, parsePromDuration } from './promDuration';

describe('toGrid', () => {
  it('places samples on the step grid and leaves gaps, NaN, Inf and off-grid samples empty', () => {
    const grid = toGrid(
      {
        labels: {},
        points: [
          [100, 1],
          [160, Number.NaN],
          [220, 3],
          [250, 99], // between two steps: cannot come from query_range, ignored
          [340, Number.POSITIVE_INFINITY],
          [400, 6],
          [460, 7], // past the window
        ],
      },
      100,
      60,
      6,
    );
    expect(grid.values.map((v) => (Number.isNaN(v) ? null : v))).toEqual([1, null, 3, null, null, 6]);
    expect(grid.present).toBe(3);
  });
});

describe('singleSeries', () => {
  const window = { start: 0, end: 600 };
  it('asks to aggregate when several series come back, naming a few', () => {
    const series = ['a', 'b', 'c', 'd'].map((instance) => ({ labels: { instance }, points: [] }));
    expect(() => singleSeries({ series, warnings: [] }, 'business query', window)).toThrow(
      'the business query returned 4 series ({instance="a"}, {instance="b"}, {instance="c"}, … 1 more) but one is needed: aggregate it, e.g. sum(...) or avg(...), or select one with a label matcher',
    );
  });

  it('says when nothing came back', () => {
    expect(() => singleSeries({ series: [], warnings: [] }, 'technical query', window)).toThrow(
      /^the technical query returned no data between 1970-01-01T00:00:00Z and 1970-01-01T00:10:00Z/,
    );
  });
});

describe('Prometheus durations', () => {
  it('parses and prints the units Prometheus accepts', () => {
    expect(parsePromDuration('7d', '--range')).toBe(604_800);
    expect(parsePromDuration('1h30m', '--range')).toBe(5400);
    expect(parsePromDuration('500ms', '--timeout')).toBe(0.5);
    expect(parsePromDuration('90', '--step')).toBe(90);
    expect(formatPromDuration(5400)).toBe('1h30m');
    expect(formatPromDuration(0.2)).toBe('200ms');
  });

  it('refuses what is not a duration, saying what is', () => {
    expect(() => parsePromDuration('7 days', '--range')).toThrow('--range "7 days" is not a duration: use Prometheus syntax such as 30m, 7d or 1h30m');
    expect(() => parsePromDuration('0m', '--step')).toThrow('--step must be longer than 0');
  });
});
