/** @module auth/cookies — the session cookie: its name, setting and deleting it, and reading it on each request. */
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../env';
import { parseSessionToken, SESSION_ABSOLUTE_MS } from './sessions';

type Ctx = Context<AppEnv>;

function onHttps(c: Ctx): boolean {
  return new URL(c.req.url).protocol === 'https:';
}

/** `__Host-` prefixed (and Secure) when served over https; a plain name on http://127.0.0.1 for local runs. */
export function sessionCookieName(c: Ctx): string {
  return onHttps(c) ? '__Host-hticket_session' : 'hticket_session';
}

export function setSessionTokenCookie(c: Ctx, token: string): void {
  setCookie(c, sessionCookieName(c), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: onHttps(c),
    maxAge: Math.floor(SESSION_ABSOLUTE_MS / 1000),
  });
}

export function deleteSessionTokenCookie(c: Ctx): void {
  deleteCookie(c, sessionCookieName(c), { path: '/', secure: onHttps(c) });
}

/** Whether the request sent a session cookie at all (well-formed or not). */
export function hasSessionCookie(c: Ctx): boolean {
  return getCookie(c, sessionCookieName(c)) !== undefined;
}

/** Parses the cookie only; no database access happens here. */
export function sessionCookie(): MiddlewareHandler<AppEnv> {
  return async function sessionCookie(c, next) {
    c.set('sessionToken', parseSessionToken(getCookie(c, sessionCookieName(c))));
    await next();
  };
}
