import { decodeSessionCookie, encodeSessionCookie, readCookie, sessionCookieSettings } from './sessionCookie';

describe('readCookie', () => {
  it.each([
    ['bizmetrics_session=1.a', '1.a'],
    ['theme=dark; bizmetrics_session=2.b', '2.b'],
    ['theme=dark;bizmetrics_session=3.c; other=1', '3.c'],
    ['xbizmetrics_session=9; bizmetrics_session=4.d', '4.d'],
    ['bizmetrics_session_old=9', undefined],
    ['theme=bizmetrics_session=5', undefined],
    ['bizmetrics_session="6.e"', '6.e'],
    ['bizmetrics_session=', ''],
    ['', undefined],
  ])('finds the cookie in %j', (header, expected) => {
    expect(readCookie(header, 'bizmetrics_session')).toBe(expected);
  });

  it('answers undefined without a header', () => {
    expect(readCookie(undefined, 'bizmetrics_session')).toBeUndefined();
  });
});

describe('session cookie value', () => {
  const settings = sessionCookieSettings({}) as NonNullable<ReturnType<typeof sessionCookieSettings>>;
  const now = 1_800_000_000_000;

  it('round-trips start and source, and serialises only safe characters', () => {
    const header = encodeSessionCookie(settings, { startMs: now - 1000, source: 'google_ads' }, true);
    expect(header).toBe(`bizmetrics_session=${now - 1000}.google_ads; Path=/; HttpOnly; SameSite=Lax; Secure`);
    expect(decodeSessionCookie(`${now - 1000}.google_ads`, now, settings.maxSessionMs)).toEqual({ startMs: now - 1000, source: 'google_ads' });
    expect(encodeSessionCookie(settings, { startMs: now, source: 'a;b=c' }, false)).toBe(`bizmetrics_session=${now}.abc; Path=/; HttpOnly; SameSite=Lax`);
  });

  it('round-trips the session id after the source, and ignores an id that is not cookie-safe or too short', () => {
    const id = '0b8a3c4e-5f60-4d71-9e82-a3b4c5d6e7f8';
    const header = encodeSessionCookie(settings, { startMs: now - 1000, source: 'news.example.com', id }, false);
    expect(header).toBe(`bizmetrics_session=${now - 1000}.news.example.com~${id}; Path=/; HttpOnly; SameSite=Lax`);
    expect(decodeSessionCookie(`${now - 1000}.news.example.com~${id}`, now, settings.maxSessionMs)).toEqual({ startMs: now - 1000, source: 'news.example.com', id });
    expect(decodeSessionCookie(`${now - 1000}.~${id}`, now, settings.maxSessionMs)).toEqual({ startMs: now - 1000, source: undefined, id });
    // A cookie of the earlier format (no id) still gives its start and source; the adapter then writes an id.
    expect(decodeSessionCookie(`${now - 1000}.direct`, now, settings.maxSessionMs)?.id).toBeUndefined();
    expect(decodeSessionCookie(`${now - 1000}.direct~short`, now, settings.maxSessionMs)?.id).toBeUndefined();
    expect(decodeSessionCookie(`${now - 1000}.direct~${'x'.repeat(65)}`, now, settings.maxSessionMs)?.id).toBeUndefined();
    expect(encodeSessionCookie(settings, { startMs: now, source: 'a', id: 'bad id;x=1' }, false)).toBe(`bizmetrics_session=${now}.a; Path=/; HttpOnly; SameSite=Lax`);
  });

  it.each([
    ['not a number', 'abc.x'],
    ['in the future', `${now + 3_600_000}.x`],
    ['older than the session limit', `${now - 2 * 86_400_000}.x`],
    ['absurdly long digits', `${'9'.repeat(40)}.x`],
  ])('ignores a start %s', (_case, raw) => {
    expect(decodeSessionCookie(raw, now, settings.maxSessionMs)).toBeUndefined();
  });

  it('refuses a cookie name that would need encoding at set-up', () => {
    expect(() => sessionCookieSettings({ name: 'bad name;' })).toThrow(/sessionCookie.name/);
  });
});
