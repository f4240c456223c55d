import products from './products.json';

/** A product of the shop's catalogue. Prices are integer cents, as the guide's revenue metrics want. */
export interface Product {
  readonly id: string;
  readonly name: string;
  readonly category: ProductCategory;
  readonly priceCents: number;
  readonly description: string;
  /**
   * Made-to-order items ask a slow supplier for stock at review and checkout: the shop's built-in
   * latency spike (it shows in `http_server_request_duration` next to the business metrics).
   */
  readonly supplierLatencyMs?: number;
}

/** The four categories: the bounded values of the `product_category` label. */
export const productCategories = ['books', 'electronics', 'home', 'apparel'] as const;
export type ProductCategory = (typeof productCategories)[number];

/** The catalogue, read once from `products.json`. */
export const catalog: readonly Product[] = products as Product[];

const byId = new Map(catalog.map((product) => [product.id, product]));

/** The product with this id, or undefined. */
export function findProduct(id: string): Product | undefined {
  return byId.get(id);
}
