import type { BusinessMetricsSetup } from '@bizmetrics/core';
import { Router } from 'express';
import { z } from 'zod';
import { parseBody } from './checkoutSchemas';
import { refundableOrder, shopSession } from './shopSession';

/** Plans a signed-in shopper can have: the `user_tier` label of active users, feature usage and sessions. */
export const userTiers = ['free', 'pro', 'enterprise'] as const;

const signInSchema = z.strictObject({
  userId: z.string().min(1).max(64),
  tier: z.enum(userTiers),
});

const refundSchema = z.strictObject({
  reason: z.enum(['refund', 'cancellation', 'chargeback']).default('refund'),
});

/**
 * Sign-in (the active-user count) and refunds of the session's last order. Both read only the signed
 * session cookie, so any replica can answer them: a refund needs no order book shared between replicas.
 */
export function accountRoutes(metrics: BusinessMetricsSetup): Router {
  const router = Router();

  // The user id is counted into the active-user sketches; it never becomes a label.
  router.post('/account/sign-in', (req, res) => {
    const { userId, tier } = parseBody(signInSchema, req.body, 'sign-in');
    const session = shopSession(req);
    session.user = { id: userId, tier };
    metrics.service.recordActiveUser(userId, { userTier: tier });
    res.json({ userId, tier });
  });

  // One refund per order: the order leaves the session once refunded.
  router.post('/orders/last/refund', (req, res) => {
    const { reason } = parseBody(refundSchema, req.body ?? {}, 'refund request');
    const session = shopSession(req);
    const order = refundableOrder(session);
    metrics.service.recordRefund(order.totalCents, { productCategory: order.category, paymentMethod: order.paymentMethod, region: order.region, reason });
    delete session.lastOrder;
    res.json({ refunded: order.id, amountCents: order.totalCents, reason });
  });

  return router;
}
