import { useCallback, useEffect, useState, type MouseEvent, type ReactNode } from 'react';
import { CartPage } from './pages/CartPage';
import { CatalogPage } from './pages/CatalogPage';
import { CheckoutPage } from './pages/CheckoutPage';
import { DashboardPage } from './pages/DashboardPage';
import { navigate, usePath } from './router';
import { shopApi } from './shopApi';

function NavLink(props: { to: string; current: string; children: ReactNode; testId?: string }): ReactNode {
  const onClick = (event: MouseEvent) => {
    event.preventDefault();
    navigate(props.to);
  };
  const active = props.to === '/' ? props.current === '/' : props.current.startsWith(props.to);
  return (
    <a href={props.to} onClick={onClick} className={active ? 'active' : ''} data-testid={props.testId}>
      {props.children}
    </a>
  );
}

export function App(): ReactNode {
  const path = usePath();
  const [cartCount, setCartCount] = useState(0);
  const [variant, setVariant] = useState('');
  const refreshSession = useCallback(() => {
    shopApi
      .session()
      .then((session) => {
        setCartCount(session.cartCount);
        setVariant(session.variant);
      })
      .catch(() => undefined);
  }, []);
  useEffect(refreshSession, [refreshSession, path]);

  let page: ReactNode;
  if (path.startsWith('/cart')) page = <CartPage onCartChange={setCartCount} />;
  else if (path.startsWith('/checkout')) page = <CheckoutPage onCartChange={setCartCount} />;
  else if (path.startsWith('/dashboard')) page = <DashboardPage />;
  else page = <CatalogPage onCartChange={setCartCount} />;

  return (
    <>
      <header>
        <a className="logo" href="/" onClick={(e) => (e.preventDefault(), navigate('/'))}>
          ◆ bizmetrics shop
        </a>
        <nav>
          <NavLink to="/" current={path}>Shop</NavLink>
          <NavLink to="/cart" current={path} testId="nav-cart">
            Cart <span className="badge" data-testid="cart-count">{cartCount}</span>
          </NavLink>
          <NavLink to="/dashboard" current={path} testId="nav-dashboard">Dashboard</NavLink>
        </nav>
        {variant && <span className="variant" title="experiment_variant">experiment: {variant}</span>}
      </header>
      <main>{page}</main>
    </>
  );
}
