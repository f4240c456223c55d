/**
 * Shipping countries the shop delivers to, and the sales region each one books revenue under
 * (the guide's `region` label). Deriving the region from the shipping country keeps the label
 * bounded (four values) and meaningful for the business, unlike a raw country or IP.
 */
export const regionByCountry: Readonly<Record<string, string>> = {
  US: 'north_america',
  CA: 'north_america',
  GB: 'europe',
  DE: 'europe',
  FR: 'europe',
  NL: 'europe',
  JP: 'asia_pacific',
  AU: 'asia_pacific',
  SG: 'asia_pacific',
  IN: 'asia_pacific',
  BR: 'latin_america',
  MX: 'latin_america',
};

/** The four regions: the adapter's `allowedRegions`. */
export const salesRegions = ['north_america', 'europe', 'asia_pacific', 'latin_america'] as const;

/** Countries the shipping form offers. */
export const shippingCountries = Object.keys(regionByCountry);

/** The sales region of a shipping country, undefined when the shop does not ship there. */
export function regionOf(country: string | undefined): string | undefined {
  return country === undefined ? undefined : regionByCountry[country];
}
