/**
 * Label names that carry personal or unbounded data. They are refused even when a catalog
 * declares them: one series per user, session or timestamp is a cardinality explosion and a
 * privacy leak at once (the guide: "Avoid: user_id, session_id, timestamp as labels").
 */
const forbiddenLabelNames = new Set([
  'user_id', 'userid', 'user', 'username', 'user_name', 'customer_id', 'account_id', 'visitor_id',
  'session_id', 'sessionid', 'session', 'request_id', 'trace_id', 'span_id', 'order_id', 'cart_id',
  'transaction_id', 'device_id', 'email', 'email_address', 'phone', 'phone_number', 'name',
  'first_name', 'last_name', 'full_name', 'address', 'street', 'zip', 'postcode', 'postal_code',
  'ip', 'ip_address', 'client_ip', 'remote_addr', 'timestamp', 'time', 'date', 'datetime', 'url',
  'full_url', 'query', 'query_string', 'token', 'password', 'card_number', 'credit_card', 'ssn',
]);

/** Whether a label name is refused whatever the catalog says. */
export function isForbiddenLabelName(name: string): boolean {
  const lowered = name.toLowerCase();
  return forbiddenLabelNames.has(lowered) || lowered.endsWith('_email') || lowered.endsWith('_ip');
}

/** The refused names, for docs and error messages. */
export function listForbiddenLabelNames(): readonly string[] {
  return [...forbiddenLabelNames];
}
