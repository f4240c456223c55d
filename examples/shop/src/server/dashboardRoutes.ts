import { Router } from 'express';
import type { OrderBook } from './orderBook';

/** Data for the dashboard page (the guide's DashboardPage): recent orders, revenue split, CSV export. */
export function dashboardRoutes(orders: OrderBook): Router {
  const router = Router();
  router.get('/dashboard', (_req, res) => {
    res.json(orders.summary());
  });
  router.get('/dashboard/export.csv', (_req, res) => {
    res.type('text/csv').attachment('orders.csv').send(orders.toCsv());
  });
  return router;
}
