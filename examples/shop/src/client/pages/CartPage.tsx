import { useEffect, useState, type ReactNode } from 'react';
import { ProductThumb } from '../ProductThumb';
import { navigate } from '../router';
import { formatCents, shopApi, type Cart } from '../shopApi';

export function CartPage(props: { onCartChange: (count: number) => void }): ReactNode {
  const [cart, setCart] = useState<Cart | null>(null);
  const [error, setError] = useState<string | null>(null);

  // GET /api/cart is the `cart_view` step, recorded by the server (trackCartView).
  useEffect(() => {
    shopApi.cart().then(setCart).catch((e: Error) => setError(e.message));
  }, []);

  const setQuantity = (productId: string, quantity: number) => {
    shopApi
      .setQuantity(productId, quantity)
      .then((next) => {
        setCart(next);
        props.onCartChange(next.itemCount);
      })
      .catch((e: Error) => setError(e.message));
  };

  if (error) return <div className="error">{error}</div>;
  if (cart === null) return <p className="muted">Loading the cart…</p>;
  if (cart.itemCount === 0) return <p>Your cart is empty.</p>;
  return (
    <>
      <h1>Your cart</h1>
      <table>
        <thead>
          <tr><th>Product</th><th>Quantity</th><th>Price</th><th /></tr>
        </thead>
        <tbody>
          {cart.lines.map((line) => (
            <tr key={line.id}>
              <td><ProductThumb name={line.name} category={line.category} small />{line.name}</td>
              <td>{line.quantity}</td>
              <td>{formatCents(line.lineCents)}</td>
              <td>
                <button className="secondary" onClick={() => setQuantity(line.id, line.quantity + 1)}>+</button>{' '}
                <button className="secondary" onClick={() => setQuantity(line.id, line.quantity - 1)}>−</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="price" data-testid="cart-total">Total: {formatCents(cart.totalCents)}</p>
      <button className="primary" onClick={() => navigate('/checkout')} data-testid="checkout">Check out</button>
    </>
  );
}
