import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from '../../../src/auth/sessions';
import { sessions, users } from '../../../src/db/schema';
import { send, sessionCookieFor, signedIn, testDb } from '../helpers';
import { PASSWORD, sessionCookieFrom, signInRequest, userWithPassword } from './account-helpers';

function sessionIdOf(cookie: string): string {
  return cookie.split('=')[1]!.split('.')[0]!;
}

/** The browser is told to forget the cookie (an expired Set-Cookie for the same name). */
function clearsCookie(res: Response): boolean {
  return res.headers.getSetCookie().some((c) => /^hticket_session=;/.test(c) && /Max-Age=0/i.test(c));
}

describe('a request without a valid session', () => {
  it.each([
    ['garbage', 'hticket_session=garbage'],
    ['a 10 KB value', `hticket_session=${'a'.repeat(10 * 1024)}`],
    ['an unknown id', `hticket_session=${crypto.randomUUID()}.abcdefghijklmnopqrstuvwx`],
  ])('is sent to sign-in with %s as the cookie', async (_, cookie) => {
    const res = await send('/', { cookie });
    expect(res.status).toBe(302);
    expect(res.headers.get('Location')).toBe('/login');
    expect(clearsCookie(res)).toBe(true);
  });

  it('is sent to sign-in with a real session id and a wrong secret', async () => {
    const { cookie } = await signedIn();
    const forged = `${cookie.split('.')[0]}.${'a'.repeat(24)}`;
    const res = await send('/profile', { cookie: forged });
    expect(res.status).toBe(302);
    expect(res.headers.get('Location')).toBe('/login?next=%2Fprofile');
    // The real session is untouched.
    expect((await send('/', { cookie })).status).toBe(200);
  });

  it('gets HX-Redirect, never a sign-in page to swap, when htmx asks', async () => {
    const res = await send('/profile', {
      cookie: 'hticket_session=garbage',
      htmx: true,
      headers: { 'HX-Current-URL': 'http://hticket.test/p/ABC/board' },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('HX-Redirect')).toBe('/login?next=%2Fp%2FABC%2Fboard');
    const body = await res.text();
    expect(body).not.toContain('<form');
    expect(body).not.toContain('<html');
  });

  it('keeps public pages public', async () => {
    for (const path of ['/login', '/password-reset', '/healthz']) {
      expect((await send(path)).status, path).toBe(200);
    }
    expect((await send(`/password-reset/${crypto.randomUUID()}/`)).status).toBe(410);
  });
});

describe('session expiry', () => {
  it('ends a session idle for longer than the idle limit', async () => {
    const { cookie } = await signedIn();
    const stale = Date.now() - SESSION_IDLE_MS - 1000;
    await testDb()
      .update(sessions)
      .set({ lastSeenAt: stale })
      .where(eq(sessions.id, sessionIdOf(cookie)));
    const res = await send('/', { cookie });
    expect(res.status).toBe(302);
    expect(clearsCookie(res)).toBe(true);
  });

  it('ends a session past its absolute lifetime even while in use', async () => {
    const { cookie } = await signedIn();
    await testDb()
      .update(sessions)
      .set({ createdAt: Date.now() - SESSION_ABSOLUTE_MS, expiresAt: Date.now() - 1, lastSeenAt: Date.now() })
      .where(eq(sessions.id, sessionIdOf(cookie)));
    expect((await send('/', { cookie })).status).toBe(302);
  });

  it('keeps an active session alive and records when it was last seen', async () => {
    const { cookie } = await signedIn();
    const earlier = Date.now() - 10 * 60 * 1000;
    await testDb()
      .update(sessions)
      .set({ lastSeenAt: earlier })
      .where(eq(sessions.id, sessionIdOf(cookie)));
    expect((await send('/', { cookie })).status).toBe(200);
    const [row] = await testDb()
      .select()
      .from(sessions)
      .where(eq(sessions.id, sessionIdOf(cookie)));
    expect(row!.lastSeenAt).toBeGreaterThan(earlier);
  });
});

describe('a disabled user', () => {
  it('loses access on the next request', async () => {
    const { user, cookie } = await signedIn();
    expect((await send('/', { cookie })).status).toBe(200);
    await testDb().update(users).set({ disabledAt: Date.now() }).where(eq(users.id, user.id));
    const res = await send('/', { cookie });
    expect(res.status).toBe(302);
    expect(res.headers.get('Location')).toBe('/login');
    expect((await send('/profile', { cookie, htmx: true })).headers.get('HX-Redirect')).toMatch(/^\/login/);
  });
});

describe('signing out', () => {
  it('deletes the session, clears the cookie and shows the sign-in page', async () => {
    const user = await userWithPassword();
    const cookie = sessionCookieFrom(await signInRequest(user.email, PASSWORD));
    const res = await send('/logout', { method: 'POST', cookie });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/login?notice=signed-out');
    expect(clearsCookie(res)).toBe(true);
    expect(
      await testDb()
        .select()
        .from(sessions)
        .where(eq(sessions.id, sessionIdOf(cookie))),
    ).toEqual([]);
    expect(await (await send('/login?notice=signed-out')).text()).toContain('You are signed out.');
  });

  it('refuses the cookie when it is sent again after sign-out', async () => {
    const { cookie } = await signedIn();
    await send('/logout', { method: 'POST', cookie });
    const res = await send('/', { cookie });
    expect(res.status).toBe(302);
    expect(res.headers.get('Location')).toBe('/login');
  });

  it('answers htmx with HX-Redirect', async () => {
    const { cookie } = await signedIn();
    const res = await send('/logout', { method: 'POST', cookie, htmx: true });
    expect(res.status).toBe(204);
    expect(res.headers.get('HX-Redirect')).toBe('/login?notice=signed-out');
  });

  it('never happens on GET', async () => {
    const { cookie } = await signedIn();
    const res = await send('/logout', { cookie });
    expect(res.status).toBe(405);
    expect(res.headers.get('Allow')).toBe('POST');
    expect((await send('/', { cookie })).status).toBe(200);
  });

  it('ends only the session it belongs to', async () => {
    const { user, cookie } = await signedIn();
    const other = await sessionCookieFor(user);
    await send('/logout', { method: 'POST', cookie });
    expect((await send('/', { cookie: other })).status).toBe(200);
  });

  it('cannot end a session by its id alone', async () => {
    const { cookie } = await signedIn();
    const forged = `${cookie.split('.')[0]}.${'b'.repeat(24)}`;
    await send('/logout', { method: 'POST', cookie: forged });
    expect((await send('/', { cookie })).status).toBe(200);
  });
});
