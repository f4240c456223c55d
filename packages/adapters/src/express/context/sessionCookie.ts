import { BusinessMetricsConfigError } from '@bizmetrics/core';

/** What the fallback session cookie remembers: when the session started, where it came from, and its id. */
export interface SessionCookieValue {
  readonly startMs: number;
  readonly source: string | undefined;
  /** Random id of the session (the session funnel's key when the app gives no `sessionId`); absent in cookies written before ids. */
  readonly id?: string | undefined;
}

// A session id as the adapter writes it (a UUID) or as a client could send it: bounded, cookie-safe.
const sessionIdPattern = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * Options of the first-seen cookie: it remembers the session's source for every request, and the
 * session start when no `sessionStartTime` callback answers.
 */
export interface SessionCookieOptions {
  /** Cookie name. @default 'bizmetrics_session' */
  name?: string;
  /**
   * A session older than this starts anew (time to conversion stays meaningful). Not applied when a
   * `sessionStartTime` callback answers: the app's session store decides. @default 86400 (24 h)
   */
  maxSessionSeconds?: number;
  /** `Secure` attribute: `'auto'` sets it on HTTPS requests (`req.secure`). @default 'auto' */
  secure?: boolean | 'auto';
}

/** Parsed settings of the session cookie. */
export interface SessionCookieSettings {
  readonly name: string;
  readonly maxSessionMs: number;
  readonly secure: boolean | 'auto';
}

export function sessionCookieSettings(options: SessionCookieOptions | false | undefined): SessionCookieSettings | undefined {
  if (options === false) return undefined;
  const name = options?.name ?? 'bizmetrics_session';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) throw new BusinessMetricsConfigError(`bizmetrics: sessionCookie.name must match [A-Za-z0-9_-]{1,64}, got ${JSON.stringify(name)}`);
  return {
    name,
    maxSessionMs: (options?.maxSessionSeconds ?? 86400) * 1000,
    secure: options?.secure ?? 'auto',
  };
}

/**
 * The value of one cookie in a `Cookie` header (`name=value; name2=value2`, RFC 6265 §5.4), or
 * `undefined`. The adapter needs two known names on hot requests; finding them with `indexOf` costs
 * a fraction of parsing (and decoding) every cookie of the header. Values are not URL-decoded: the
 * adapter's own cookies never need it, and a variant that would is refused by the label rules anyway.
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  let from = 0;
  for (;;) {
    const at = header.indexOf(name, from);
    if (at === -1) return undefined;
    const end = at + name.length;
    if (header.charCodeAt(end) === 61 /* = */ && (at === 0 || header.charCodeAt(at - 1) === 32 /* space */ || header.charCodeAt(at - 1) === 59 /* ; */)) {
      const stop = header.indexOf(';', end + 1);
      let value = stop === -1 ? header.slice(end + 1) : header.slice(end + 1, stop);
      // Browsers send `a=1; b=2`: trim only what has outer whitespace (a new string otherwise).
      if (value.charCodeAt(0) <= 32 || value.charCodeAt(value.length - 1) <= 32) value = value.trim();
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      return value;
    }
    from = end;
  }
}

/**
 * `<startMs>.<source>~<id>`; unsigned on purpose: it feeds time to conversion and attribution
 * labels, both bounded, and the session funnel's key, which only groups this client's own
 * requests (a client that sends a new id per request is counted per request, and open sessions
 * are capped by the funnel). Values in the future or older than `maxSessionMs` are ignored.
 */
export function decodeSessionCookie(raw: string | undefined, nowMs: number, maxSessionMs: number): SessionCookieValue | undefined {
  if (raw === undefined) return undefined;
  // Digits by hand, not a regex and Number(): this runs on every request that derives its context.
  let startMs = 0;
  let at = 0;
  for (; at < raw.length && at < 16; at++) {
    const code = raw.charCodeAt(at);
    if (code === 46 /* . */) break;
    if (code < 48 || code > 57) return undefined;
    startMs = startMs * 10 + (code - 48);
  }
  // 1 to 15 digits, then the end or a dot.
  if (at === 0 || at > 15 || (at < raw.length && raw.charCodeAt(at) !== 46)) return undefined;
  if (startMs > nowMs + 60_000 || nowMs - startMs > maxSessionMs) return undefined;
  // The source is `[a-z0-9_.-]`, so the last `~` starts the id.
  const tilde = raw.lastIndexOf('~');
  const sourceEnd = tilde > at ? tilde : raw.length;
  const source = at + 1 < sourceEnd ? raw.slice(at + 1, sourceEnd) : undefined;
  const id = tilde > at ? raw.slice(tilde + 1) : undefined;
  return { startMs, source, id: id !== undefined && sessionIdPattern.test(id) ? id : undefined };
}

/**
 * The `Set-Cookie` value for a session: a browser-session cookie, HttpOnly, SameSite=Lax. The value
 * is digits, `.`, a label-normalised source (`[a-z0-9_.-]`), `~` and the id (`[A-Za-z0-9_-]`):
 * nothing in it needs encoding.
 */
export function encodeSessionCookie(settings: SessionCookieSettings, value: SessionCookieValue, secure: boolean): string {
  const source = (value.source ?? '').replace(/[^a-z0-9_.-]/g, '');
  const id = value.id !== undefined && sessionIdPattern.test(value.id) ? `~${value.id}` : '';
  return `${settings.name}=${Math.floor(value.startMs)}.${source}${id}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}
