// Thin fetch wrappers: every call answers with JSON or throws an ApiError carrying the server's message.

export interface Product {
  id: string;
  name: string;
  category: string;
  priceCents: number;
  description: string;
}

export interface CartLine extends Product {
  quantity: number;
  lineCents: number;
}

export interface Cart {
  lines: CartLine[];
  itemCount: number;
  totalCents: number;
}

export interface Review extends Cart {
  shipping: { name: string; street: string; city: string; postalCode: string; country: string };
  payment: { method: string; label: string };
  region: string;
}

export interface Order {
  id: string;
  at: number;
  totalCents: number;
  itemCount: number;
  category: string;
  region: string;
  paymentMethod: string;
}

export interface DashboardData {
  orders: number;
  revenueCents: number;
  revenueByCategory: Record<string, number>;
  revenueByRegion: Record<string, number>;
  latest: Order[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  const payload = (await response.json().catch(() => ({}))) as { error?: string };
  if (!response.ok) throw new ApiError(response.status, payload.error ?? `${method} ${path} failed with ${response.status}`);
  return payload as T;
}

export const shopApi = {
  products: () => call<{ categories: string[]; products: Product[] }>('GET', '/api/products'),
  session: () => call<{ cartCount: number; variant: string }>('GET', '/api/session'),
  cart: () => call<Cart>('GET', '/api/cart'),
  addToCart: (productId: string, quantity = 1) => call<Cart>('POST', '/api/cart/items', { productId, quantity }),
  setQuantity: (productId: string, quantity: number) => call<Cart>('PATCH', `/api/cart/items/${encodeURIComponent(productId)}`, { quantity }),
  shipping: (address: Review['shipping']) => call<{ region: string }>('POST', '/api/checkout/shipping', address),
  payment: (method: string, cardNumber?: string) => call<{ payment: { label: string } }>('POST', '/api/checkout/payment', { method, cardNumber }),
  review: () => call<Review>('GET', '/api/checkout/review'),
  complete: (expectedTotalCents: number) =>
    call<{ success: true; orderId: string; totalCents: number }>('POST', '/api/checkout/complete', { expectedTotalCents }),
  dashboard: () => call<DashboardData>('GET', '/api/dashboard'),
};

export function formatCents(cents: number): string {
  return `$${(cents / 100).toFixed(2)}`;
}
