/** @module middleware/session — reads the session cookie and checks it inside the request's own batch. */
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import type { BatchItem, BatchResponse } from 'drizzle-orm/batch';
import type { SQL } from 'drizzle-orm';
import {
  currentUserId,
  parseSessionToken,
  SESSION_ABSOLUTE_MS,
  sessionStatements,
  toSessionCheck,
  validateSessionRow,
} from '../accounts/sessions';
import type { Session, User } from '../db/schema';
import type { AppEnv } from '../env';
import { clientRedirect, currentUrl, isHtmx } from '../web/htmx';
import { safeNextPath } from '../web/redirects';

type Ctx = Context<AppEnv>;

function onHttps(c: Ctx): boolean {
  return new URL(c.req.url).protocol === 'https:';
}

/** `__Host-` prefixed (and Secure) when served over https; a plain name on http://127.0.0.1 for local runs. */
export function sessionCookieName(c: Ctx): string {
  return onHttps(c) ? '__Host-hticket_session' : 'hticket_session';
}

export function setSessionCookie(c: Ctx, token: string): void {
  setCookie(c, sessionCookieName(c), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: onHttps(c),
    maxAge: Math.floor(SESSION_ABSOLUTE_MS / 1000),
  });
}

export function deleteSessionCookie(c: Ctx): void {
  deleteCookie(c, sessionCookieName(c), { path: '/', secure: onHttps(c) });
}

/** Parses the cookie only; no database access happens here. */
export function sessionCookie(): MiddlewareHandler<AppEnv> {
  return async function sessionCookie(c, next) {
    c.set('sessionToken', parseSessionToken(getCookie(c, sessionCookieName(c))));
    await next();
  };
}

/** Paths anyone may reach; everything else needs a session (deny by default). */
const PUBLIC_PATHS = [/^\/login\/?$/, /^\/join\//, /^\/password-reset(\/|$)/, /^\/healthz$/, /^\/dev\/mail(\/|$)/];

export function isPublicPath(path: string): boolean {
  return PUBLIC_PATHS.some((re) => re.test(path));
}

/**
 * Deny by default. Without a cookie the request is sent to sign-in at once. With one, the route must call
 * `authenticate()`; a successful answer from a route that never did is a bug and becomes a 500.
 */
export function requireSession(): MiddlewareHandler<AppEnv> {
  return async function requireSession(c, next) {
    if (isPublicPath(c.req.path)) return next();
    if (!c.var.sessionToken) throw signInRequired(c);
    await next();
    if (!c.var.user && c.res.status < 300) {
      throw new Error(`${c.req.method} ${c.req.path} answered without checking the session`);
    }
  };
}

/** The response for a request without a valid session: a redirect for browsers, HX-Redirect for htmx. */
export function signInRequired(c: Ctx): HTTPException {
  // A stale or forged cookie is dropped, so the browser stops sending it.
  if (getCookie(c, sessionCookieName(c)) !== undefined) deleteSessionCookie(c);
  const here = pathOf(isHtmx(c) ? currentUrl(c) : new URL(c.req.url));
  const next = c.req.method === 'GET' || isHtmx(c) ? safeNextPath(here, '') : '';
  const target = next && next !== '/' ? `/login?next=${encodeURIComponent(next)}` : '/login';
  if (isHtmx(c)) {
    clientRedirect(c, target);
    return new HTTPException(401, { res: c.body('Please sign in.', 401) });
  }
  return new HTTPException(302, { res: c.redirect(target, 302) });
}

function pathOf(url: URL | null): string {
  return url ? url.pathname + url.search : '/';
}

export interface Authenticated<T> {
  user: User;
  session: Session;
  results: T;
}

/**
 * Checks the session and runs the route's own statements in the same batch: one database round trip.
 * `build` receives the current user's id as an SQL subquery, to use in membership conditions and writes.
 */
export async function authenticate<const T extends readonly BatchItem<'sqlite'>[] = []>(
  c: Ctx,
  build?: (me: SQL) => T,
): Promise<Authenticated<T extends readonly [unknown, ...unknown[]] ? BatchResponse<T> : []>> {
  const token = c.var.sessionToken;
  if (!token) throw signInRequired(c);
  const db = c.var.db;
  const check = toSessionCheck(token, Date.now());
  const [touch, readSession, readUser] = sessionStatements(db, check);
  const extra = build ? build(currentUserId(check)) : [];
  const [, sessionRows, userRows, ...results] = (await db.batch([touch, readSession, readUser, ...extra] as unknown as [
    BatchItem<'sqlite'>,
  ])) as unknown as [unknown, Session[], User[], ...unknown[]];
  const outcome = validateSessionRow(sessionRows, userRows, check);
  if (!outcome.ok) throw signInRequired(c);
  c.set('user', outcome.user);
  c.set('sessionId', outcome.session.id);
  return { user: outcome.user, session: outcome.session, results: results as never };
}

/**
 * The signed-in user, or null, without answering for the route: for public pages that behave differently for
 * someone already signed in (the sign-in page sends them on).
 */
export async function currentUser(c: Ctx): Promise<User | null> {
  const token = c.var.sessionToken;
  if (!token) return null;
  const check = toSessionCheck(token, Date.now());
  const [, sessionRows, userRows] = (await c.var.db.batch(sessionStatements(c.var.db, check))) as unknown as [
    unknown,
    Session[],
    User[],
  ];
  const outcome = validateSessionRow(sessionRows, userRows, check);
  return outcome.ok ? outcome.user : null;
}
