import type { PersonalDataFamily } from './personalData';

/** A label value replaced by `redacted` because it carried personal data or a secret of that family (the measurement is kept). */
export type PersonalDataRefusal = `personal_data_${PersonalDataFamily}`;

/** Why a value or label set was not recorded as given. The `reason` label of `bizmetrics_refused_values_total`. */
export type RefusalReason =
  | PersonalDataRefusal
  | 'invalid_value'
  | 'negative_value'
  | 'non_integer_value'
  | 'undeclared_label'
  | 'forbidden_label'
  | 'invalid_label_value'
  | 'unbounded_label_value'
  | 'label_value_outside_shape'
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
  unbounded_label_value: 'a label value that cannot be bounded (kept for compatibility: personal data is counted as personal_data_<family>)',
  label_value_outside_shape: 'a label value outside the closed set or pattern its label declares; recorded under the declared outside value, or dropped when none',
  cardinality_overflow: 'the metric reached its series cap; the value was recorded under the overflow series',
  unknown_metric: 'no metric of that name is in the catalog',
  internal_error: 'bizmetrics itself failed; the value was dropped',
  personal_data_email: 'a label value carried an e-mail address (plain, URL-encoded or inside a URL); recorded under "redacted"',
  personal_data_card_number: 'a label value carried a payment card number (Luhn-valid, any separators); recorded under "redacted"',
  personal_data_phone_number: 'a label value carried a phone number (E.164 or national format); recorded under "redacted"',
  personal_data_ip_address: 'a label value carried an IPv4 or IPv6 address; recorded under "redacted"',
  personal_data_secret_token: 'a label value carried a JWT, bearer or API token or a credential parameter; recorded under "redacted"',
  personal_data_iban: 'a label value carried an IBAN (checksum-valid); recorded under "redacted"',
  personal_data_national_id: 'a label value carried a national identifier (US SSN, UK NINO); recorded under "redacted"',
  personal_data_opaque_identifier:
    'a label value carried an opaque identifier (UUID, ULID, long hex or base64 run, 9+ digit number); recorded under "redacted"',
};
