import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const refunds = {
  name: 'shop_refunds',
  kind: 'counter',
  unit: '{refund}',
  description: 'Refunds issued to customers',
  owner: 'Payments Team',
  labels: [{ name: 'reason', description: 'Why the order was refunded', examples: ['damaged', 'late'] }],
};
const delivery = {
  name: 'shop_delivery_seconds',
  kind: 'histogram',
  unit: 's',
  description: 'Time from order to delivery',
  owner: 'Logistics Team',
  labels: [{ name: 'carrier', description: 'Delivery company', examples: ['dhl', 'ups'] }],
  buckets: [3600, 86400, 172800],
};
/** A sound user catalog: one counter and one histogram the guide does not have. */
export const shopCatalog = [refunds, delivery];

/** Catalog entries with exactly one problem each, and the field core reports for it. */
export const badEntries = {
  badName: { entry: { ...refunds, name: 'shop refunds' }, metric: 'shop refunds', field: 'name' },
  forbiddenLabel: {
  entry: { ...refunds, labels: [{ name: 'user_id', description: 'who' }] },
  metric: 'shop_refunds',
  field: 'labels[0].name',
  },
  unsortedBuckets: { entry: { ...delivery, buckets: [86400, 3600] }, metric: 'shop_delivery_seconds', field: 'buckets' },
  negativeBuckets: { entry: { ...delivery, buckets: [-60, 3600] }, metric: 'shop_delivery_seconds', field: 'buckets' },
} as const;

/** Writes `entries` as a CommonJS module (`module.exports = [...]`) and returns its path. */
export async function writeCjsCatalog(dir: string, name: string, entries: readonly unknown[]): Promise<string> {
  const path = join(dir, `${name}.cjs`);
  await writeFile(path, `module.exports = ${JSON.stringify(entries, null, 2)};\n`);
  return path;
}

/** Writes `entries` as an ES module with a default export and returns its path. */
export async function writeEsmCatalog(dir: string, name: string, entries: readonly unknown[]): Promise<string> {
  const path = join(dir, `${name}.mjs`);
  await writeFile(path, `export default ${JSON.stringify(entries, null, 2)};\n`);
  return path;
}
