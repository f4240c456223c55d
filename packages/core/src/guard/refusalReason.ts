/** Why a value or label set was not recorded as given. The `reason` label of `bizmetrics_refused_values_total`. */
export type RefusalReason =
  | 'invalid_value'
  | 'negative_value'
  | 'non_integer_value'
  | 'undeclared_label'
  | 'forbidden_label'
  | 'invalid_label_value'
  | 'unbounded_label_value'
  | 'cardinality_overflow'
  | 'unknown_metric'
  | 'internal_error';

/** What each reason means, for logs and docs. */
export const refusalReasonDescriptions: Readonly<Record<RefusalReason, string>> = {
  invalid_value: 'the value is not a finite number (NaN, Infinity, string, object)',
  negative_value: 'the value is negative where only non-negative values make sense',
  non_integer_value: 'the value must be a non-negative safe integer (minor currency units, counts)',
  undeclared_label: 'a label name the metric does not declare',
  forbidden_label: 'a label name that carries personal or unbounded data (user_id, email, ip, ...)',
  invalid_label_value: 'a label value that is not a string, number or boolean',
  unbounded_label_value: 'a label value shaped like an identifier or personal data (email, IP, UUID, long digit run)',
  cardinality_overflow: 'the metric reached its series cap; the value was recorded under the overflow series',
  unknown_metric: 'no metric of that name is in the catalog',
  internal_error: 'bizmetrics itself failed; the value was dropped',
};
