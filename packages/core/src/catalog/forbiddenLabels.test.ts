import { isForbiddenLabelName, listForbiddenLabelNames } from './forbiddenLabels';

describe('forbidden label names', () => {
  it.each(['user_id', 'session_id', 'email', 'ip', 'timestamp'])('refuses the guide named %p in any case', (name) => {
    expect(isForbiddenLabelName(name)).toBe(true);
    expect(isForbiddenLabelName(name.toUpperCase())).toBe(true);
    expect(listForbiddenLabelNames()).toContain(name);
  });

  it.each(['customer_email', 'client_ip', 'billing_email', 'origin_ip', 'request_id', 'trace_id', 'order_id'])('refuses %p', (name) => {
    expect(isForbiddenLabelName(name)).toBe(true);
  });

  it.each(['step', 'source', 'device_type', 'region', 'user_tier', 'is_new_user', 'window', 'entry_page', 'ship', 'zipper'])(
    'accepts the bounded label %p',
    (name) => {
      expect(isForbiddenLabelName(name)).toBe(false);
    },
  );
});
