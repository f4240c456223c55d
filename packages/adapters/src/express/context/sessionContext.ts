import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { AdmissionFactory } from '@bizmetrics/core';
import type { Request, Response } from 'express';
import type { AdapterTelemetry } from '../telemetry/adapterTelemetry';
import { monotonicNow } from '../technical/monotonicNow';
import { wallClockAt } from '../technical/wallClock';
import { BoundedLabel, clientValueAdmission } from './boundedLabel';
import { DeviceClassifier } from './deviceType';
import {
  decodeSessionCookie,
  encodeSessionCookie,
  readCookie,
  sessionCookieSettings,
  type SessionCookieOptions,
  type SessionCookieSettings,
  type SessionCookieValue,
} from './sessionCookie';

// How much earlier than the callback's session start a first-seen cookie may have been written and
// still belong to that session (apps that create their session after the landing request).
const sessionStartSlackMs = 60_000;

/** The guide's `SessionContext`, derived per request (plus the region revenue is booked under). */
export interface SessionContext {
  /**
   * The session's id: the `sessionId` callback's answer, else the random id of the first-seen cookie
   * (undefined with `sessionCookie: false` and no callback). Keys the session funnel; never a label.
   */
  readonly sessionId: string | undefined;
  /** Start of the session: `sessionStartTime` callback, else the first-seen cookie, else now (a new Date on each read). */
  readonly sessionStartTime: Date;
  /** UTM source, else external referrer host, else the source remembered for the session, else `direct`. */
  readonly source: string;
  /** `desktop`, `mobile`, `tablet`, `tv`, `bot` or `unknown`, from the User-Agent. */
  readonly deviceType: string;
  /** From the experiment header or cookie, else `control`. */
  readonly experimentVariant: string;
  /** From the `region` resolver, else `unknown`. */
  readonly region: string;
}

/** How the session context is derived. Every field can be replaced by a callback; callbacks that throw are ignored (and counted). */
export interface SessionContextOptions {
  /**
   * Start of the user's session, e.g. from your session store. Return `undefined` to fall back to the
   * first-seen cookie.
   * @example sessionStartTime: (req) => req.session?.startTime
   */
  sessionStartTime?: (req: Request) => Date | number | undefined;
  /**
   * The session's id, e.g. your session store's: keys the session funnel (each checkout step counts
   * once per id) and is `req.bizmetrics.context.sessionId`. Never recorded as a label. Return
   * `undefined` to fall back to the first-seen cookie's random id.
   * @default the first-seen cookie's id
   */
  sessionId?: (req: Request) => string | undefined;
  /** Replaces the derived source (`derived` is what the adapter found); return `undefined` to keep it. */
  source?: (req: Request, derived: string) => string | undefined;
  /** Replaces the derived device type. */
  deviceType?: (req: Request, derived: string) => string | undefined;
  /** Replaces the derived experiment variant. */
  experimentVariant?: (req: Request, derived: string) => string | undefined;
  /**
   * Region revenue and sessions are booked under, e.g. from a CDN header. Called when the context's
   * region is first read (revenue, or your code), not for funnel steps.
   * @default () => 'unknown'
   * @example region: (req) => req.get('cloudfront-viewer-country-region')
   */
  region?: (req: Request) => string | undefined;
  /** Request header carrying the experiment variant. @default 'x-experiment-variant' */
  experimentHeader?: string;
  /** Cookie carrying the experiment variant (read when the header is absent). @default 'bizmetrics_variant' */
  experimentCookie?: string;
  /**
   * First-seen cookie remembering the session's source (UTM source or referrer of the landing request)
   * and, when no `sessionStartTime` callback answers, its start; `false` for none (attribution then
   * lasts one request unless the `source` callback keeps it). @default {}
   */
  sessionCookie?: SessionCookieOptions | false;
  /** Only these sources are kept; others become `other`. @default any (up to `maxDistinctValues`) */
  allowedSources?: readonly string[];
  /** Only these experiment variants are kept; others become `other`. */
  allowedVariants?: readonly string[];
  /** Only these regions are kept; others become `other`. */
  allowedRegions?: readonly string[];
  /** Distinct values kept per client-controlled field (source, variant, region) before new ones become `other`. @default 100 */
  maxDistinctValues?: number;
  /**
   * Which new client-controlled values (source, variant, region) get a place of their own; the
   * others are recorded as `other`. @default a value needs 3 distinct client addresses, or one
   * address's quota of 10 values (`distinctClientAdmission({ minClients: 3, perClientQuota: 10 })`)
   */
  admission?: AdmissionFactory;
  /**
   * Who sent a request, for admission (set Express's `trust proxy` behind a proxy, or every
   * visitor is the proxy). @default req.ip, else the socket's address
   */
  clientKey?: (req: Request) => string | undefined;
}

/** Derives the session context of requests with the options given once. */
export class SessionContextResolver {
  private readonly devices = new DeviceClassifier();
  private readonly sources: BoundedLabel;
  private readonly variants: BoundedLabel;
  private readonly regions: BoundedLabel;
  // A device type from the user's callback is free text: bounded like the other fields.
  private readonly customDevices: BoundedLabel;
  private readonly cookie: SessionCookieSettings | undefined;
  private readonly experimentHeader: string;
  private readonly experimentCookie: string;
  // The callbacks, read once: `options[name]` per request is a megamorphic keyed load.
  private readonly sourceCallback: SessionContextOptions['source'];
  private readonly deviceTypeCallback: SessionContextOptions['deviceType'];
  private readonly variantCallback: SessionContextOptions['experimentVariant'];
  private readonly regionCallback: SessionContextOptions['region'];
  private readonly sessionIdCallback: SessionContextOptions['sessionId'];
  private readonly sessionStartCallback: SessionContextOptions['sessionStartTime'];
  // With no callback, a context depends on the request's headers alone, and the requests of one
  // keep-alive connection (one browser) repeat them: the last context is kept on the socket.
  private readonly reusable: boolean;
  private readonly clientOf: (req: Request) => string | undefined;

  /** `now`: epoch milliseconds (tests); by default the request's monotonic start time on the wall clock. */
  constructor(
    options: SessionContextOptions,
    private readonly telemetry: AdapterTelemetry,
    private readonly now?: () => number,
  ) {
    this.sourceCallback = options.source;
    this.deviceTypeCallback = options.deviceType;
    this.variantCallback = options.experimentVariant;
    this.regionCallback = options.region;
    this.sessionIdCallback = options.sessionId;
    this.sessionStartCallback = options.sessionStartTime;
    const max = options.maxDistinctValues ?? 100;
    const clientAdmission = options.admission ?? clientValueAdmission;
    const privacy = (metric: string, label: string) => ({ telemetry, metric, label });
    this.sources = new BoundedLabel('direct', max, options.allowedSources, clientAdmission, privacy('business_funnel_step', 'source'));
    this.variants = new BoundedLabel('control', max, options.allowedVariants, clientAdmission, privacy('business_funnel_step', 'experiment_variant'));
    this.regions = new BoundedLabel('unknown', max, options.allowedRegions, clientAdmission, privacy('business_revenue_cents', 'region'));
    this.customDevices = new BoundedLabel('unknown', 20, undefined, clientAdmission, privacy('business_funnel_step', 'device_type'));
    const clientKey = options.clientKey ?? defaultClientKey;
    this.clientOf = (req) => {
      try {
        return clientKey(req);
      } catch (error) {
        telemetry.fail('user_callback', error);
        return undefined;
      }
    };
    this.cookie = sessionCookieSettings(options.sessionCookie);
    this.experimentHeader = (options.experimentHeader ?? 'x-experiment-variant').toLowerCase();
    this.experimentCookie = options.experimentCookie ?? 'bizmetrics_variant';
    this.reusable =
      this.cookie !== undefined &&
      [this.sourceCallback, this.deviceTypeCallback, this.variantCallback, this.regionCallback, this.sessionIdCallback, this.sessionStartCallback].every(
        (callback) => callback === undefined,
      );
  }

  /**
   * Whether this request carries attribution (a UTM source or an external referrer) that must be
   * remembered now, before a later checkout request needs it; `undefined` (not checked) when no
   * cookie remembers it. Cheap: no parsing for the usual request.
   */
  carriesAttribution(req: Request): boolean | undefined {
    if (this.cookie === undefined) return undefined;
    const url = req.originalUrl ?? req.url;
    return url.includes('utm_source=') || isExternalReferer(req.headers);
  }

  /**
   * The session context of `req`; may append the first-seen cookie to `res` while headers are open.
   * `startedAt`: the `monotonicNow()` reading taken when the request arrived (read now when absent).
   * `carriesAttribution`: what `carriesAttribution(req)` answered, when the caller asked it already.
   */
  resolve(req: Request, res: Response, startedAt?: number, carriesAttribution?: boolean): SessionContext {
    const now = this.now !== undefined ? this.now() : wallClockAt(startedAt ?? monotonicNow());
    // `req.headers` is a getter on IncomingMessage: read it once.
    const headers = req.headers;
    const cookieHeader = headers.cookie;
    // Without attribution on this request, the same headers as the connection's last request give the same context.
    const connection: Socket | null | undefined = this.reusable && carriesAttribution === false ? req.socket : undefined;
    const remembered = connection?.[lastContextOnSocket];
    const last = remembered?.resolver === this ? remembered : undefined;
    const userAgent = headers['user-agent'];
    const variantHeader = headers[this.experimentHeader];
    if (
      last !== undefined &&
      last.cookieHeader === cookieHeader &&
      last.userAgent === userAgent &&
      last.variantHeader === variantHeader &&
      now - last.startMs <= (this.cookie as SessionCookieSettings).maxSessionMs
    ) {
      return last.context;
    }
    const callbackStart = this.callbackStart(req);
    const cookie = this.cookie;
    const stored = cookie === undefined ? undefined : this.storedSession(readCookie(cookieHeader, cookie.name), now, callbackStart);

    const attributed = carriesAttribution === false ? undefined : this.attributedSource(req, headers);
    const client = (): string | undefined => this.clientOf(req);
    let source = this.sources.resolve(attributed ?? stored?.source ?? 'direct', client);
    if (this.sourceCallback !== undefined) source = this.sources.resolve(this.override(this.sourceCallback, req, source) ?? source, client);

    const startMs = callbackStart ?? stored?.startMs ?? now;
    // The cookie remembers the source whoever owns the session start: without it, attribution seen on
    // the landing request would be gone on the next one. It is (re)written when missing, stale, or
    // when new attribution arrives.
    // A cookie written before cookies carried an id gets one now, so its session can be keyed.
    const cookieId = cookie === undefined ? undefined : (stored?.id ?? randomUUID());
    let rewritten = false;
    if (cookie !== undefined && !res.headersSent && (stored?.id === undefined || (attributed !== undefined && stored.source !== source))) {
      try {
        res.appendHeader('Set-Cookie', encodeSessionCookie(cookie, { startMs, source, id: cookieId }, cookie.secure === 'auto' ? isSecure(req) : cookie.secure));
        rewritten = true;
      } catch (error) {
        this.telemetry.fail('context', error);
      }
    }

    const derivedDevice = this.devices.classify(userAgent);
    const deviceType = this.override(this.deviceTypeCallback, req, derivedDevice) ?? derivedDevice;

    const derivedVariant = this.variants.resolve(headerValue(variantHeader) ?? readCookie(cookieHeader, this.experimentCookie), client);
    const experimentVariant =
      this.variantCallback === undefined ? derivedVariant : this.variants.resolve(this.override(this.variantCallback, req, derivedVariant) ?? derivedVariant, client);

    const context = new DerivedSessionContext(
      startMs,
      source,
      deviceType === derivedDevice ? deviceType : this.customDevices.resolve(deviceType, client),
      experimentVariant,
      // Region and session id only matter to revenue and the app's own code: their callbacks (a GeoIP
      // lookup, a session store) run when the field is first read, not on every funnel step.
      this.regionCallback === undefined ? this.regions.resolve(undefined) : undefined,
      this.regionCallback === undefined && this.sessionIdCallback === undefined ? undefined : { resolver: this, req },
      cookieId,
    );
    // Only a context read from a valid cookie is kept: one that (re)writes the cookie changes the next request's headers.
    if (connection !== undefined && connection !== null && stored !== undefined && !rewritten) {
      if (last === undefined) connection[lastContextOnSocket] = { resolver: this, cookieHeader, userAgent, variantHeader, startMs, context };
      else {
        last.cookieHeader = cookieHeader;
        last.userAgent = userAgent;
        last.variantHeader = variantHeader;
        last.startMs = startMs;
        last.context = context;
      }
    }
    return context;
  }

  /**
   * The first-seen cookie's value when it belongs to the current session. Without a
   * `sessionStartTime` callback that is any cookie younger than `maxSessionSeconds`. With one, the
   * app owns the session's length, so the age limit is off, and a cookie written before the session
   * the callback reports began (by more than a minute of slack for an app that creates its session
   * after the landing request) is from an earlier session: its source is not carried over.
   */
  private storedSession(raw: string | undefined, now: number, callbackStart: number | undefined): SessionCookieValue | undefined {
    if (raw === undefined) return undefined;
    if (callbackStart === undefined) return decodeSessionCookie(raw, now, (this.cookie as SessionCookieSettings).maxSessionMs);
    const stored = decodeSessionCookie(raw, now, Number.POSITIVE_INFINITY);
    return stored !== undefined && stored.startMs >= callbackStart - sessionStartSlackMs ? stored : undefined;
  }

  private attributedSource(req: Request, headers: IncomingHttpHeaders): string | undefined {
    const url = req.originalUrl ?? req.url;
    const query = url.indexOf('?');
    if (query !== -1 && url.includes('utm_source=', query)) {
      const utm = new URLSearchParams(url.slice(query + 1)).get('utm_source');
      if (utm !== null && utm !== '') return utm;
    }
    if (!isExternalReferer(headers)) return undefined;
    const referer = headers.referer as string;
    let refererHost: string;
    try {
      refererHost = new URL(referer).hostname;
    } catch {
      return undefined;
    }
    const ownHost = (headers.host ?? '').replace(/:\d+$/, '');
    if (refererHost === '' || refererHost === ownHost) return undefined;
    return refererHost.startsWith('www.') ? refererHost.slice(4) : refererHost;
  }

  /** The `region` callback's answer for `req`, bounded (called by a context on first read). */
  regionOf(req: Request): string {
    return this.regions.resolve(this.call(this.regionCallback, req), () => this.clientOf(req));
  }

  /** The `sessionId` callback's answer for `req` (called by a context on first read). */
  sessionIdOf(req: Request): string | undefined {
    return this.call(this.sessionIdCallback, req);
  }

  private callbackStart(req: Request): number | undefined {
    const value = this.call(this.sessionStartCallback, req);
    if (value === undefined || value === null) return undefined;
    const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Number.NaN;
    return Number.isFinite(ms) ? ms : undefined;
  }

  private override(callback: ((req: Request, derived: string) => string | undefined) | undefined, req: Request, derived: string): string | undefined {
    if (callback === undefined) return undefined;
    try {
      const value = callback(req, derived);
      return typeof value === 'string' && value !== '' ? value : undefined;
    } catch (error) {
      this.telemetry.fail('user_callback', error);
      return undefined;
    }
  }

  private call<T>(callback: ((req: Request) => T) | undefined, req: Request): T | undefined {
    if (callback === undefined) return undefined;
    try {
      return callback(req);
    } catch (error) {
      this.telemetry.fail('user_callback', error);
      return undefined;
    }
  }
}

/** Where a connection keeps its last context: a property of the socket, typed by the augmentation below. */
const lastContextOnSocket: unique symbol = Symbol('bizmetrics.lastContext');

declare module 'net' {
  interface Socket {
    /** The last session context derived on this keep-alive connection (bizmetrics Express adapter). */
    [lastContextOnSocket]?: ConnectionContext;
  }
}

/** What the last request of a connection derived, from which headers. */
export interface ConnectionContext {
  /** The resolver that derived it (several middlewares may share a connection). */
  readonly resolver: SessionContextResolver;
  cookieHeader: string | undefined;
  userAgent: string | undefined;
  variantHeader: string | string[] | undefined;
  startMs: number;
  context: DerivedSessionContext;
}


/** What a context needs to run the `region` and `sessionId` callbacks when those fields are first read. */
interface LateFields {
  readonly resolver: SessionContextResolver;
  readonly req: Request;
}

/**
 * A derived context. Shared by the requests of one connection only when it has no late fields, and
 * then immutable. `sessionStartTime` is a new Date on each read: most requests label metrics with
 * the other fields and never need it, and a caller changing its Date changes nobody else's.
 */
class DerivedSessionContext implements SessionContext {
  /** Epoch ms of the session start, without building a Date (the session funnel reads it on every step). */
  get sessionStartMs(): number {
    return this.startMs;
  }

  private sessionIdValue: string | undefined;
  private sessionIdRead = false;

  constructor(
    private readonly startMs: number,
    readonly source: string,
    readonly deviceType: string,
    readonly experimentVariant: string,
    /** The region when no callback decides it, else `undefined` until first read. */
    private regionValue: string | undefined,
    private readonly late: LateFields | undefined,
    /** The first-seen cookie's id: the session id when no `sessionId` callback answers. */
    private readonly cookieId: string | undefined,
  ) {}

  get sessionStartTime(): Date {
    return new Date(this.startMs);
  }

  get region(): string {
    if (this.regionValue === undefined) {
      // Undefined only when a region callback exists, and then `late` is set.
      const late = this.late as LateFields;
      this.regionValue = late.resolver.regionOf(late.req);
    }
    return this.regionValue;
  }

  get sessionId(): string | undefined {
    if (!this.sessionIdRead) {
      this.sessionIdRead = true;
      this.sessionIdValue = this.late?.resolver.sessionIdOf(this.late.req) ?? this.cookieId;
    }
    return this.sessionIdValue;
  }

  /** The context as a plain object (a getter on the prototype would be left out of JSON). */
  toJSON(): Omit<SessionContext, 'sessionStartTime'> & { sessionStartTime: string } {
    const { sessionId, source, deviceType, experimentVariant, region } = this;
    return { sessionId, sessionStartTime: this.sessionStartTime.toISOString(), source, deviceType, experimentVariant, region };
  }
}

/** Cheap test (no URL parsing) that a Referer exists and points to another host. */
function isExternalReferer(headers: IncomingHttpHeaders): boolean {
  const referer = headers.referer;
  if (referer === undefined || referer === '') return false;
  const host = headers.host;
  if (host === undefined) return true;
  const start = referer.startsWith('https://') ? 8 : referer.startsWith('http://') ? 7 : -1;
  if (start === -1) return true;
  const end = start + host.length;
  return !(referer.startsWith(host, start) && (referer.length === end || referer[end] === '/' || referer[end] === '?'));
}

function defaultClientKey(req: Request): string | undefined {
  return req.ip ?? req.socket?.remoteAddress;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function isSecure(req: Request): boolean {
  try {
    return req.secure === true;
  } catch {
    return false;
  }
}

/** Epoch ms of a context's session start; no Date is built for a context the resolver derived. */
export function sessionStartMsOf(context: SessionContext): number {
  return context instanceof DerivedSessionContext ? context.sessionStartMs : context.sessionStartTime.getTime();
}
