import type { ProductCategory } from '../catalog/productCatalog';

/** A completed order as the dashboard lists it. */
export interface Order {
  readonly id: string;
  readonly at: number;
  readonly totalCents: number;
  readonly itemCount: number;
  readonly category: ProductCategory;
  readonly region: string;
  readonly paymentMethod: string;
  readonly variant: string;
}

/** Recent orders in memory (a bounded ring) plus running totals, for the dashboard page. */
export class OrderBook {
  private readonly recent: Order[] = [];
  private count = 0;
  private readonly revenueByCategory = new Map<string, number>();
  private readonly revenueByRegion = new Map<string, number>();

  constructor(private readonly keep = 500) {}

  add(order: Order): void {
    this.recent.push(order);
    if (this.recent.length > this.keep) this.recent.shift();
    this.count += 1;
    this.revenueByCategory.set(order.category, (this.revenueByCategory.get(order.category) ?? 0) + order.totalCents);
    this.revenueByRegion.set(order.region, (this.revenueByRegion.get(order.region) ?? 0) + order.totalCents);
  }

  summary(latest = 20): {
    orders: number;
    revenueCents: number;
    revenueByCategory: Record<string, number>;
    revenueByRegion: Record<string, number>;
    latest: Order[];
  } {
    const revenueCents = [...this.revenueByCategory.values()].reduce((a, b) => a + b, 0);
    return {
      orders: this.count,
      revenueCents,
      revenueByCategory: Object.fromEntries(this.revenueByCategory),
      revenueByRegion: Object.fromEntries(this.revenueByRegion),
      latest: this.recent.slice(-latest).reverse(),
    };
  }

  /** All kept orders as CSV (the dashboard's export). */
  toCsv(): string {
    const header = 'id,at,total_cents,item_count,category,region,payment_method,variant';
    const rows = this.recent.map((o) =>
      [o.id, new Date(o.at).toISOString(), o.totalCents, o.itemCount, o.category, o.region, o.paymentMethod, o.variant].join(','),
    );
    return [header, ...rows].join('\n') + '\n';
  }
}
