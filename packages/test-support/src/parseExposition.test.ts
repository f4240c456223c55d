import { findSampleSum, parseExposition, sampleSum, sampleValue } from './parseExposition';

const exposition = `# HELP h a histogram
# TYPE h histogram
h_bucket{plan="a",le="1"} 1
h_bucket{plan="a",le="+Inf"} 2
h_sum{plan="a"} 3.5
h_count{plan="a"} 2
h_bucket{plan="b",le="1"} 5
h_bucket{plan="b",le="+Inf"} 7 1700000000000
h_sum{plan="b"} 9
h_count{plan="b"} 7
# TYPE c_total counter
c_total{x="a\\"b,}",y="line\\nbreak\\\\"} 4
plain 1e3
inf{} +Inf
`;

test('histograms keep one bucket per label set, and _sum/_count stay', () => {
  const samples = parseExposition(exposition);
  expect(samples.filter((sample) => sample.name === 'h_bucket')).toEqual([
    { name: 'h_bucket', labels: { plan: 'a', le: '1' }, value: 1 },
    { name: 'h_bucket', labels: { plan: 'a', le: '+Inf' }, value: 2 },
    { name: 'h_bucket', labels: { plan: 'b', le: '1' }, value: 5 },
    { name: 'h_bucket', labels: { plan: 'b', le: '+Inf' }, value: 7 },
  ]);
  expect(sampleValue(samples, 'h_sum', { plan: 'a' })).toBe(3.5);
  expect(sampleSum(samples, 'h_count')).toBe(9);
  expect(sampleSum(samples, 'h_bucket', { le: '+Inf' })).toBe(9);
  expect(sampleSum(samples, 'missing')).toBe(0);
  expect(findSampleSum(samples, 'missing')).toBeUndefined();
  expect(findSampleSum(samples, 'h_sum')).toBe(12.5);
});

test('escaped label values, quoted commas and braces, exponents and +Inf', () => {
  const samples = parseExposition(exposition);
  expect(sampleValue(samples, 'c_total')).toBe(4);
  expect(samples.find((sample) => sample.name === 'c_total')?.labels).toEqual({ x: 'a"b,}', y: 'line\nbreak\\' });
  expect(sampleValue(samples, 'plain')).toBe(1000);
  expect(sampleValue(samples, 'inf')).toBe(Number.POSITIVE_INFINITY);
});

test('sampleValue wants exactly one match; a broken line throws', () => {
  expect(() => sampleValue(parseExposition(exposition), 'h_sum')).toThrow(/expected one h_sum\{\}, found 2/);
  expect(() => parseExposition('x{a="1" 2')).toThrow(/parseExposition/);
  expect(() => parseExposition('x notanumber')).toThrow(/bad value/);
});
