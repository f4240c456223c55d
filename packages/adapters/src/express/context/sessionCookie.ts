import { parse, serialize } from 'cookie';

/** What the fallback session cookie remembers: when the session started and where it came from. */
export interface SessionCookieValue {
  readonly startMs: number;
  readonly source: string | undefined;
}

/** Options of the first-seen cookie used when no `sessionStartTime` callback answers. */
export interface SessionCookieOptions {
  /** Cookie name. @default 'bizmetrics_session' */
  name?: string;
  /** A session older than this starts anew (time to conversion stays meaningful). @default 86400 (24 h) */
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
  return {
    name: options?.name ?? 'bizmetrics_session',
    maxSessionMs: (options?.maxSessionSeconds ?? 86400) * 1000,
    secure: options?.secure ?? 'auto',
  };
}

/** Reads one cookie from a `Cookie` header without parsing the others' values. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined || !header.includes(name)) return undefined;
  try {
    return parse(header)[name];
  } catch {
    return undefined;
  }
}

/**
 * `<startMs>.<source>`; unsigned on purpose: it only feeds time to conversion and attribution
 * labels, both bounded, and a forged value changes nothing else. Values in the future or older
 * than `maxSessionMs` are ignored.
 */
export function decodeSessionCookie(raw: string | undefined, nowMs: number, maxSessionMs: number): SessionCookieValue | undefined {
  if (raw === undefined) return undefined;
  const dot = raw.indexOf('.');
  const startText = dot === -1 ? raw : raw.slice(0, dot);
  if (!/^\d{1,15}$/.test(startText)) return undefined;
  const startMs = Number(startText);
  if (startMs > nowMs + 60_000 || nowMs - startMs > maxSessionMs) return undefined;
  const source = dot === -1 ? undefined : raw.slice(dot + 1);
  return { startMs, source: source === '' ? undefined : source };
}

/** The `Set-Cookie` value for a session: a browser-session cookie, HttpOnly, SameSite=Lax. */
export function encodeSessionCookie(settings: SessionCookieSettings, value: SessionCookieValue, secure: boolean): string {
  return serialize(settings.name, `${Math.floor(value.startMs)}.${value.source ?? ''}`, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
  });
}
