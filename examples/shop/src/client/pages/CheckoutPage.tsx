import { useState, type FormEvent, type ReactNode } from 'react';
import { ProductThumb } from '../ProductThumb';
import { formatCents, shopApi, type Review } from '../shopApi';

type Step = 'shipping' | 'payment' | 'review' | 'done';
const countries = ['US', 'CA', 'GB', 'DE', 'FR', 'NL', 'JP', 'AU', 'SG', 'IN', 'BR', 'MX'];

function field(form: HTMLFormElement, name: string): string {
  return (form.elements.namedItem(name) as HTMLInputElement | null)?.value ?? '';
}

/** Shipping → payment → review → place order: each step is one API call the server records as a funnel step. */
export function CheckoutPage(props: { onCartChange: (count: number) => void }): ReactNode {
  const [step, setStep] = useState<Step>('shipping');
  const [error, setError] = useState<string | null>(null);
  const [review, setReview] = useState<Review | null>(null);
  const [method, setMethod] = useState('card');
  const [orderId, setOrderId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    action()
      .catch((e: Error) => setError(e.message))
      .finally(() => setBusy(false));
  };

  const submitShipping = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    run(async () => {
      await shopApi.shipping({
        name: field(form, 'name'),
        street: field(form, 'street'),
        city: field(form, 'city'),
        postalCode: field(form, 'postalCode'),
        country: field(form, 'country'),
      });
      setStep('payment');
    });
  };

  const submitPayment = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    run(async () => {
      await shopApi.payment(method, method === 'card' ? field(form, 'cardNumber') : undefined);
      setReview(await shopApi.review());
      setStep('review');
    });
  };

  const placeOrder = () =>
    run(async () => {
      const result = await shopApi.complete(review?.totalCents ?? 0);
      setOrderId(result.orderId);
      props.onCartChange(0);
      setStep('done');
    });

  const steps: Step[] = ['shipping', 'payment', 'review', 'done'];
  return (
    <>
      <h1>Checkout</h1>
      <div className="steps">
        {steps.map((s, i) => (
          <span key={s} className={s === step ? 'current' : ''}>
            {i + 1}. {s === 'done' ? 'confirmation' : s}
            {i < steps.length - 1 ? ' →' : ''}
          </span>
        ))}
      </div>
      {error && <div className="error" data-testid="checkout-error">{error}</div>}

      {step === 'shipping' && (
        <form className="panel" onSubmit={submitShipping} data-testid="shipping-form">
          <label>Full name<input name="name" required /></label>
          <label>Street<input name="street" required /></label>
          <label>City<input name="city" required /></label>
          <label>Postal code<input name="postalCode" required /></label>
          <label>
            Country
            <select name="country" defaultValue="DE">
              {countries.map((c) => <option key={c} value={c}>{c}</option>)}
            </select>
          </label>
          <div className="actions"><button className="primary" disabled={busy}>Continue to payment</button></div>
        </form>
      )}

      {step === 'payment' && (
        <form className="panel" onSubmit={submitPayment} data-testid="payment-form">
          <label>
            Payment method
            <select name="method" value={method} onChange={(e) => setMethod(e.target.value)}>
              <option value="card">Card</option>
              <option value="paypal">PayPal</option>
              <option value="apple_pay">Apple Pay</option>
            </select>
          </label>
          {method === 'card' && (
            <label>
              Card number (test: 4242 4242 4242 4242; declined: 4000 0000 0000 0002)
              <input name="cardNumber" inputMode="numeric" autoComplete="cc-number" required />
            </label>
          )}
          <div className="actions"><button className="primary" disabled={busy}>Review order</button></div>
        </form>
      )}

      {step === 'review' && review && (
        <div className="panel" data-testid="review">
          <table>
            <tbody>
              {review.lines.map((line) => (
                <tr key={line.id}><td><ProductThumb name={line.name} category={line.category} small />{line.name} × {line.quantity}</td><td>{formatCents(line.lineCents)}</td></tr>
              ))}
            </tbody>
          </table>
          <p>Ship to {review.shipping.name}, {review.shipping.city} ({review.shipping.country}) · pay with {review.payment.label}</p>
          <p className="price">Total: {formatCents(review.totalCents)}</p>
          <button className="primary" onClick={placeOrder} disabled={busy} data-testid="place-order">Place order</button>
        </div>
      )}

      {step === 'done' && (
        <div className="success" data-testid="order-confirmed">
          Thank you! Order <strong data-testid="order-id">{orderId}</strong> is confirmed.
        </div>
      )}
    </>
  );
}
