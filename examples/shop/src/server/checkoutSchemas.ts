import { z } from 'zod';
import { shippingCountries } from './regions';
import { isLuhnValid } from './paymentProcessor';
import { paymentMethods } from './shopSession';
import { HttpError } from './httpError';

export const addItemSchema = z.strictObject({
  productId: z.string().min(1).max(64),
  quantity: z.int().min(1).max(10).default(1),
});

export const updateItemSchema = z.strictObject({
  quantity: z.int().min(0).max(10),
});

export const shippingSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  street: z.string().trim().min(1).max(200),
  city: z.string().trim().min(1).max(100),
  postalCode: z.string().trim().regex(/^[A-Za-z0-9 -]{3,12}$/, 'expected 3-12 letters, digits, spaces or dashes'),
  country: z.enum(shippingCountries as [string, ...string[]], { error: `expected one of ${shippingCountries.join(', ')}` }),
});

export const paymentSchema = z
  .strictObject({
    method: z.enum(paymentMethods),
    cardNumber: z.string().max(32).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.method !== 'card') return;
    const digits = (value.cardNumber ?? '').replace(/[\s-]/g, '');
    if (!isLuhnValid(digits)) ctx.addIssue({ code: 'custom', path: ['cardNumber'], message: 'not a valid card number (12-19 digits, Luhn checksum)' });
  });

export const completeSchema = z
  .strictObject({
    /** The total the customer saw on the review page: a changed cart or price must not be charged silently. */
    expectedTotalCents: z.int().min(0).optional(),
  })
  .default({});

/** Parses `body` or throws a 400 that names every wrong field. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(body ?? undefined);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${issue.message}`);
  throw new HttpError(400, `invalid ${what}: ${problems.join('; ')}`);
}
