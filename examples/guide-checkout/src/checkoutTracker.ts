// A checkout tracker in the guide's API (its class, step names and calls), written by us: the only
// bizmetrics-specific line is the import, so `businessMetrics` records through OpenTelemetry.
import { businessMetrics } from '@bizmetrics/core';

export enum CheckoutStep {
  CART_VIEW = 'cart_view',
  SHIPPING_INFO = 'shipping_info',
  PAYMENT_INFO = 'payment_info',
  ORDER_REVIEW = 'order_review',
  ORDER_CONFIRMED = 'order_confirmed',
}

export interface SessionContext {
  sessionId: string;
  sessionStartTime: Date;
  source: string;
  deviceType: 'mobile' | 'desktop' | 'tablet';
  experimentVariant: string;
}

export class CheckoutTracker {
  private sessionContext: SessionContext;

  constructor(context: SessionContext) {
    this.sessionContext = context;
  }

  trackCartView(_cartValue: number, _itemCount: number): void {
    businessMetrics.recordFunnelStep(CheckoutStep.CART_VIEW, this.funnelMetadata());
  }

  trackShippingInfo(): void {
    businessMetrics.recordFunnelStep(CheckoutStep.SHIPPING_INFO, this.funnelMetadata());
  }

  trackPaymentInfo(_paymentMethod: string): void {
    businessMetrics.recordFunnelStep(CheckoutStep.PAYMENT_INFO, this.funnelMetadata());
  }

  trackOrderReview(): void {
    businessMetrics.recordFunnelStep(CheckoutStep.ORDER_REVIEW, this.funnelMetadata());
  }

  trackPurchaseComplete(orderValue: number, productCategory: string, paymentMethod: string, region: string): void {
    businessMetrics.recordFunnelStep(CheckoutStep.ORDER_CONFIRMED, this.funnelMetadata());
    businessMetrics.recordConversion('purchase', {
      source: this.sessionContext.source,
      deviceType: this.sessionContext.deviceType,
      sessionStartTime: this.sessionContext.sessionStartTime,
    });
    businessMetrics.recordRevenue(orderValue, { productCategory, paymentMethod, region });
  }

  trackCheckoutError(): void {
    businessMetrics.recordFunnelStep('checkout_error', this.funnelMetadata());
  }

  private funnelMetadata() {
    return {
      source: this.sessionContext.source,
      deviceType: this.sessionContext.deviceType,
      experimentVariant: this.sessionContext.experimentVariant,
    };
  }
}
