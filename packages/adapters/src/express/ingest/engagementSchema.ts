import { z } from 'zod';
import type { EngagementBatch } from '../../shared/engagementEvent';

/** Names clients may send for features and milestones: lower-case identifiers, 64 characters at most. */
export const engagementNamePattern = /^[a-z][a-z0-9_]{0,63}$/;
// `milestone_` + name must fit the 64-character label value limit.
const milestoneNamePattern = /^[a-z][a-z0-9_]{0,53}$/;

/** What the batch schema depends on. */
export interface EngagementSchemaSettings {
  readonly allowedSteps: readonly string[];
  readonly userTiers: readonly string[];
  readonly features: readonly string[] | undefined;
  readonly milestones: readonly string[] | undefined;
  readonly maxEvents: number;
  readonly maxEventAgeMs: number;
  readonly maxClockSkewMs: number;
  readonly maxSessionSeconds: number;
  readonly now: () => number;
}

function oneOf(values: readonly string[], what: string): z.ZodType<string> {
  const allowed = new Set(values);
  return z.string().refine((value) => allowed.has(value), { message: `${what} must be one of ${values.join(', ')}` });
}

function namePattern(pattern: RegExp, allowlist: readonly string[] | undefined, what: string): z.ZodType<string> {
  const base = z.string().regex(pattern, { message: `${what} must match ${pattern.source}` });
  if (allowlist === undefined) return base;
  const allowed = new Set(allowlist);
  return base.refine((value) => allowed.has(value), { message: `${what} is not in the allowlist` });
}

/**
 * The batch schema: strict objects (unknown fields refused), names by pattern or allowlist,
 * timestamps within `[now - maxEventAge, now + maxClockSkew]`, and no event type that could carry
 * revenue or conversions (those are server-only).
 */
export function engagementBatchSchema(settings: EngagementSchemaSettings): z.ZodType<EngagementBatch> {
  const at = z
    .number({ message: 'at must be a number (milliseconds since the epoch)' })
    .int({ message: 'at must be an integer (milliseconds since the epoch)' })
    .refine((value) => value <= settings.now() + settings.maxClockSkewMs, { message: 'at is in the future' })
    .refine((value) => value >= settings.now() - settings.maxEventAgeMs, { message: 'at is too far in the past' });
  const userTier = oneOf(settings.userTiers, 'userTier');

  const featureUsage = z.strictObject({
    type: z.literal('feature_usage'),
    feature: namePattern(engagementNamePattern, settings.features, 'feature'),
    userTier,
    isNewUser: z.boolean(),
    at,
  });
  const milestone = z.strictObject({
    type: z.literal('milestone'),
    milestone: namePattern(milestoneNamePattern, settings.milestones, 'milestone'),
    at,
  });
  const sessionEnd = z.strictObject({
    type: z.literal('session_end'),
    durationSeconds: z.number().finite().min(0).max(settings.maxSessionSeconds, { message: `durationSeconds must be at most ${settings.maxSessionSeconds}` }),
    userTier,
    entryPage: z.string().max(2048).regex(/^\//, { message: 'entryPage must be a path starting with /' }),
    at,
  });
  const funnelStep = z.strictObject({
    type: z.literal('funnel_step'),
    step: oneOf(settings.allowedSteps, 'step'),
    at,
  });
  const event = z.discriminatedUnion('type', [featureUsage, milestone, sessionEnd, funnelStep], {
    error: (issue) =>
      issue.code === 'invalid_union' ? 'type must be one of feature_usage, milestone, session_end, funnel_step' : undefined,
  });
  return z.strictObject({
    events: z
      .array(event, { message: 'events must be an array' })
      .min(1, { message: 'empty batch: events needs at least one event' })
      .max(settings.maxEvents, { message: `too many events: at most ${settings.maxEvents} per batch` }),
  });
}

/** `events[2].feature: feature must match ...`, for the first few issues. */
export function describeIssues(error: z.ZodError): string {
  // Unknown fields first: they usually explain the other issues (a misspelt field is also a missing one).
  const issues = [...error.issues].sort((a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'));
  const parts = issues.slice(0, 3).map((issue) => {
    const path = issue.path.reduce<string>(
      (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text === '' ? String(key) : `${text}.${String(key)}`),
      '',
    );
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return parts.join('; ') + more;
}
