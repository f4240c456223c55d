import { findProduct, type Product, type ProductCategory } from '../catalog/productCatalog';
import type { ShopSession } from './shopSession';

export interface CartLine {
  readonly product: Product;
  readonly quantity: number;
  readonly lineCents: number;
}

export interface PricedCart {
  readonly lines: CartLine[];
  readonly itemCount: number;
  readonly totalCents: number;
  /** The category with the largest share of the order: the order's `product_category` label. */
  readonly mainCategory: ProductCategory | undefined;
  /** Longest supplier stock check among the lines (made-to-order items), in milliseconds. */
  readonly supplierLatencyMs: number;
}

/** Prices the session's cart from the catalogue (never from anything the client sent). */
export function priceCart(session: ShopSession): PricedCart {
  const lines: CartLine[] = [];
  const byCategory = new Map<ProductCategory, number>();
  let supplierLatencyMs = 0;
  for (const [id, quantity] of session.cart) {
    const product = findProduct(id);
    if (product === undefined) continue;
    const lineCents = product.priceCents * quantity;
    lines.push({ product, quantity, lineCents });
    byCategory.set(product.category, (byCategory.get(product.category) ?? 0) + lineCents);
    supplierLatencyMs = Math.max(supplierLatencyMs, product.supplierLatencyMs ?? 0);
  }
  let mainCategory: ProductCategory | undefined;
  for (const [category, cents] of byCategory) if (mainCategory === undefined || cents > (byCategory.get(mainCategory) ?? 0)) mainCategory = category;
  return {
    lines,
    itemCount: lines.reduce((n, line) => n + line.quantity, 0),
    totalCents: lines.reduce((n, line) => n + line.lineCents, 0),
    mainCategory,
    supplierLatencyMs,
  };
}

/** The JSON shape the front end renders. */
export function cartJson(cart: PricedCart): unknown {
  return {
    lines: cart.lines.map((line) => ({ ...line.product, quantity: line.quantity, lineCents: line.lineCents })),
    itemCount: cart.itemCount,
    totalCents: cart.totalCents,
  };
}
