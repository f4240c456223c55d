import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { RefusedValueError } from '../errors';
import { RefusalReporter } from './refusalReporter';

function installDiagLogger(): jest.Mocked<DiagLogger> {
  const logger = { error: jest.fn(), warn: jest.fn(), info: jest.fn(), debug: jest.fn(), verbose: jest.fn() };
  diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  return logger;
}

afterEach(() => diag.disable());

describe('RefusalReporter', () => {
  it('counts per metric and reason and logs the first refusal of each reason once', () => {
    const logger = installDiagLogger();
    const reporter = new RefusalReporter(false);
    for (let i = 0; i < 50; i++) reporter.refuse('business_revenue_cents', 'negative_value', '-1');
    for (let i = 0; i < 20; i++) reporter.refuse('business_order_value_cents', 'negative_value', '-1');
    for (let i = 0; i < 5; i++) reporter.refuse('business_revenue_cents', 'invalid_value', 'NaN');
    expect(reporter.total()).toBe(75);
    expect(reporter.total('negative_value')).toBe(70);
    expect([...reporter.snapshot()].map((c) => [c.attributes, c.value])).toEqual([
      [{ metric: 'business_revenue_cents', reason: 'negative_value' }, 50],
      [{ metric: 'business_order_value_cents', reason: 'negative_value' }, 20],
      [{ metric: 'business_revenue_cents', reason: 'invalid_value' }, 5],
    ]);
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(logger.warn.mock.calls[0]?.[0]).toMatch(/business_revenue_cents.*negative.*-1.*bizmetrics_refused_values_total/);
    expect(logger.warn.mock.calls[1]?.[0]).toMatch(/invalid_value/);
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('throws RefusedValueError in strict mode, after counting', () => {
    const reporter = new RefusalReporter(true);
    let error: unknown;
    try {
      reporter.refuse('business_conversions', 'undeclared_label', 'label "country"');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RefusedValueError);
    expect(error).toMatchObject({ metric: 'business_conversions', reason: 'undeclared_label' });
    expect((error as Error).message).toBe('bizmetrics refused a value for business_conversions (undeclared_label): label "country"');
    expect(reporter.total('undeclared_label')).toBe(1);
  });

  it('does not throw for cardinality overflow even in strict mode: the value is kept in the overflow series', () => {
    const reporter = new RefusalReporter(true);
    expect(() => reporter.refuse('business_conversions', 'cardinality_overflow', 'more than 10 series')).not.toThrow();
    expect(reporter.total('cardinality_overflow')).toBe(1);
  });
});
