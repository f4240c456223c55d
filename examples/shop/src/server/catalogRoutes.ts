import { Router } from 'express';
import { catalog, findProduct, productCategories } from '../catalog/productCatalog';
import { HttpError } from './httpError';

/** The catalogue: list and product pages. A product page is a `product_view` funnel step. */
export function catalogRoutes(): Router {
  const router = Router();
  router.get('/products', (_req, res) => {
    res.json({ categories: productCategories, products: catalog });
  });
  router.get('/products/:id', (req, res) => {
    const product = findProduct(req.params.id);
    if (product === undefined) throw new HttpError(404, `no product with id "${req.params.id}"`);
    req.bizmetrics?.trackFunnelStep('product_view');
    res.json(product);
  });
  return router;
}
