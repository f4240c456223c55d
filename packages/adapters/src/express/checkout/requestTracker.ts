import { RefusedValueError, type GuideService } from '@bizmetrics/core';
import type { Request, Response } from 'express';
import type { SessionContext, SessionContextResolver } from '../context/sessionContext';
import type { AdapterTelemetry } from '../telemetry/adapterTelemetry';
import { monotonicNow } from '../technical/monotonicNow';
import { isServerError, type CheckoutErrorPredicate } from './checkoutError';

/** The guide's checkout steps, in funnel order. */
export const CheckoutStep = {
  CART_VIEW: 'cart_view',
  SHIPPING_INFO: 'shipping_info',
  PAYMENT_INFO: 'payment_info',
  ORDER_REVIEW: 'order_review',
  ORDER_CONFIRMED: 'order_confirmed',
} as const;

/** Step recorded when a checkout request fails. */
export const checkoutErrorStep = 'checkout_error';

/**
 * The guide's `CheckoutTracker`, bound to one request: `req.bizmetrics` / `res.locals.bizmetrics`.
 * Every method records through the runtime's guarded instruments and never throws into the
 * handler (outside the core's strict mode).
 */
export interface RequestTracker {
  /** The session context of this request, derived on first use. */
  readonly context: SessionContext;
  /** Whether this request counts as checkout (route match or a checkout step tracked on it). */
  readonly isCheckout: boolean;
  /** `cart_view`. `cartValue` and `itemCount` are accepted for the guide's signature; no catalog metric takes them. */
  trackCartView(cartValue?: number, itemCount?: number): void;
  /** `shipping_info`. */
  trackShippingInfo(): void;
  /** `payment_info`. `paymentMethod` is accepted for the guide's signature. */
  trackPaymentInfo(paymentMethod?: string): void;
  /** `order_review`. */
  trackOrderReview(): void;
  /**
   * `order_confirmed` + a `purchase` conversion (with time since session start) + revenue, as in the guide.
   * `region` defaults to the context's region.
   */
  trackPurchaseComplete(orderValueCents: number, productCategory: string, paymentMethod: string, region?: string): void;
  /** `checkout_error`, at most once per request (the adapter calls it itself on 5xx and on errors). */
  trackCheckoutError(): void;
  /** Any other funnel step, with this request's source, device type and variant. */
  trackFunnelStep(step: string): void;
  /** `business_feature_usage_total` for this request's user. */
  trackFeatureUsage(featureName: string, user: { userTier: string; isNewUser: boolean }): void;
}

/** What every tracker of one middleware shares. */
export interface TrackerSettings {
  readonly resolver: SessionContextResolver;
  readonly service: GuideService;
  readonly telemetry: AdapterTelemetry;
  readonly isCheckoutRoute: (req: Request) => boolean;
  /** Records the technical request duration when the response closes; absent with `technicalMetrics: false`. */
  readonly recordDuration: ((req: Request, res: Response, seconds: number) => void) | undefined;
}

const checkoutStepNames = new Set<string>([...Object.values(CheckoutStep), checkoutErrorStep]);

/** Per-request tracker; the context is derived lazily so requests that track nothing pay nothing. */
export class ExpressRequestTracker implements RequestTracker {
  private contextCache: SessionContext | undefined;
  private checkoutTouched = false;
  private routeMatch: boolean | undefined;
  private errorRecorded = false;

  constructor(
    private readonly req: Request,
    private readonly res: Response,
    private readonly settings: TrackerSettings,
    /** `monotonicNow()` when the request entered the middleware. */
    private readonly startedAt: number,
    /** What the middleware's `carriesAttribution` check answered (so the context does not check again). */
    private readonly carriesAttribution?: boolean,
  ) {}

  /** Called once when the response closes (finished or aborted): technical metric and `checkout_error` on 5xx. */
  finish(): void {
    try {
      const res = this.res;
      this.settings.recordDuration?.(this.req, res, (monotonicNow() - this.startedAt) / 1000);
      if (res.statusCode >= 500 && !this.errorRecorded && this.isCheckout) this.trackCheckoutError();
    } catch (error) {
      this.settings.telemetry.fail('response_finish', error);
    }
  }

  get context(): SessionContext {
    if (this.contextCache === undefined) {
      try {
        this.contextCache = this.settings.resolver.resolve(this.req, this.res, this.startedAt, this.carriesAttribution);
      } catch (error) {
        this.settings.telemetry.fail('context', error);
        this.contextCache = fallbackContext();
      }
    }
    return this.contextCache;
  }

  get isCheckout(): boolean {
    if (this.checkoutTouched) return true;
    if (this.routeMatch === undefined) {
      try {
        this.routeMatch = this.settings.isCheckoutRoute(this.req) === true;
      } catch (error) {
        this.settings.telemetry.fail('user_callback', error);
        this.routeMatch = false;
      }
    }
    return this.routeMatch;
  }

  /**
   * `bizmetricsErrorRecorder`: records `checkout_error` when this is a checkout request and
   * `isCheckoutError` says the error failed it (a throwing callback is counted; the default decides).
   */
  recordError(error: unknown, res: Response, isCheckoutError: CheckoutErrorPredicate): void {
    if (this.errorRecorded || !this.isCheckout) return;
    let failed: boolean;
    try {
      failed = isCheckoutError(error, this.req, res) === true;
    } catch (callbackError) {
      this.settings.telemetry.fail('user_callback', callbackError);
      failed = isServerError(error);
    }
    if (failed) this.trackCheckoutError();
  }

  /** Whether `checkout_error` was recorded for this request. */
  get checkoutErrorRecorded(): boolean {
    return this.errorRecorded;
  }

  trackCartView(_cartValue?: number, _itemCount?: number): void {
    this.trackFunnelStep(CheckoutStep.CART_VIEW);
  }

  trackShippingInfo(): void {
    this.trackFunnelStep(CheckoutStep.SHIPPING_INFO);
  }

  trackPaymentInfo(_paymentMethod?: string): void {
    this.trackFunnelStep(CheckoutStep.PAYMENT_INFO);
  }

  trackOrderReview(): void {
    this.trackFunnelStep(CheckoutStep.ORDER_REVIEW);
  }

  trackPurchaseComplete(orderValueCents: number, productCategory: string, paymentMethod: string, region?: string): void {
    this.guard(() => {
      const context = this.context;
      const service = this.settings.service;
      this.checkoutTouched = true;
      service.recordFunnelStep(CheckoutStep.ORDER_CONFIRMED, funnelMetadata(context));
      service.recordConversion('purchase', {
        source: context.source,
        deviceType: context.deviceType,
        sessionStartTime: context.sessionStartTime,
      });
      service.recordRevenue(orderValueCents, { productCategory, paymentMethod, region: region ?? context.region });
    });
  }

  trackCheckoutError(): void {
    if (this.errorRecorded) return;
    this.errorRecorded = true;
    this.trackFunnelStep(checkoutErrorStep);
  }

  trackFunnelStep(step: string): void {
    this.guard(() => {
      if (checkoutStepNames.has(step)) this.checkoutTouched = true;
      this.settings.service.recordFunnelStep(step, funnelMetadata(this.context));
    });
  }

  trackFeatureUsage(featureName: string, user: { userTier: string; isNewUser: boolean }): void {
    this.guard(() => this.settings.service.recordFeatureUsage(featureName, user));
  }

  private guard(record: () => void): void {
    try {
      record();
    } catch (error) {
      // Strict mode is the user's explicit wish to see refused values as errors.
      if (error instanceof RefusedValueError) throw error;
      this.settings.telemetry.fail('tracker', error);
    }
  }
}

function funnelMetadata(context: SessionContext): { source: string; deviceType: string; experimentVariant: string } {
  return { source: context.source, deviceType: context.deviceType, experimentVariant: context.experimentVariant };
}

function fallbackContext(): SessionContext {
  return {
    sessionId: undefined,
    sessionStartTime: new Date(),
    source: 'direct',
    deviceType: 'unknown',
    experimentVariant: 'control',
    region: 'unknown',
  };
}
