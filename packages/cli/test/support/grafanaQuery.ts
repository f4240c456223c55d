/**
 * Grafana's built-in and template variables replaced the way Grafana would for a short test
 * history: `$__rate_interval` → 1m (four 1s scrapes and more), `$__range` → 1h (increase()
 * extrapolates within the samples there are), `$service` → the regex Grafana builds from the
 * selected values.
 */
export function resolveGrafanaQuery(expr: string, variables: { service: readonly string[] }): string {
  const serviceRegex = variables.service.length === 1 ? (variables.service[0] as string) : `(${variables.service.join('|')})`;
  const resolved = expr
    .replaceAll('$__rate_interval', '1m')
    .replaceAll('$__interval', '15s')
    .replaceAll('$__range', '1h')
    .replaceAll('${service}', serviceRegex)
    .replaceAll('$service', serviceRegex);
  const leftover = /\$\{?[a-zA-Z_]+/.exec(resolved);
  if (leftover !== null) throw new Error(`unresolved variable ${leftover[0]} in\n${expr}`);
  return resolved;
}
