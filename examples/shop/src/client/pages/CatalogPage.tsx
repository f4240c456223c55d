import { useEngagementTracking } from '@bizmetrics/adapters/react';
import { useEffect, useState, type ReactNode } from 'react';
import { ProductThumb } from '../ProductThumb';
import { formatCents, shopApi, type Product } from '../shopApi';

export function CatalogPage(props: { onCartChange: (count: number) => void }): ReactNode {
  const [products, setProducts] = useState<Product[]>([]);
  const [categories, setCategories] = useState<string[]>([]);
  const [filter, setFilter] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const isNewUser = useState(() => window.localStorage.getItem('shop_seen') === null)[0];
  // Shoppers are `free` tier; the category filter is a feature whose adoption we want to see.
  const { trackFeature } = useEngagementTracking({ userTier: 'free', entryPage: '/', isNewUser });

  useEffect(() => {
    window.localStorage.setItem('shop_seen', '1');
    shopApi
      .products()
      .then((data) => {
        setProducts(data.products);
        setCategories(data.categories);
      })
      .catch((e: Error) => setError(e.message));
  }, []);

  const chooseCategory = (category: string | null) => {
    setFilter(category);
    trackFeature('catalog_filter');
  };

  const add = (product: Product) => {
    shopApi
      .addToCart(product.id)
      .then((cart) => {
        props.onCartChange(cart.itemCount);
        setAdded(product.name);
      })
      .catch((e: Error) => setError(e.message));
  };

  const shown = filter === null ? products : products.filter((p) => p.category === filter);
  return (
    <>
      <h1>Gear for people who carry the pager</h1>
      {error && <div className="error">{error}</div>}
      {added && <p className="muted" data-testid="added">Added {added} to the cart.</p>}
      <div className="filters">
        <button className={filter === null ? 'active' : ''} onClick={() => chooseCategory(null)}>All</button>
        {categories.map((category) => (
          <button key={category} className={filter === category ? 'active' : ''} onClick={() => chooseCategory(category)}>
            {category}
          </button>
        ))}
      </div>
      <div className="grid">
        {shown.map((product) => (
          <div className="card" key={product.id} data-testid={`product-${product.id}`}>
            <ProductThumb name={product.name} category={product.category} />
            <div className="category">{product.category}</div>
            <div className="name">{product.name}</div>
            <div className="desc">{product.description}</div>
            <div className="price">{formatCents(product.priceCents)}</div>
            <button className="primary" onClick={() => add(product)} data-testid={`add-${product.id}`}>
              Add to cart
            </button>
          </div>
        ))}
      </div>
    </>
  );
}
