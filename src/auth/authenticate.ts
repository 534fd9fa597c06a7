/**
 * @module auth/authenticate — the session check of every request, run in the request's own batch with its plan:
 * `authenticate()` (a session is required) and `authenticate(c, plan, 'optional')` (public pages that behave
 * differently for someone signed in), plus the deny-by-default safety net.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { both, nothing, runPlan, type Plan } from '../db/plan';
import type { Session, User } from '../db/schema';
import type { AppEnv } from '../env';
import { clientRedirect, currentUrl, isHtmx } from '../web/htmx';
import { safeNextPath } from '../web/redirects';
import { deleteSessionTokenCookie, hasSessionCookie } from './cookies';
import { unreadCount } from '../notifications/unread';
import { currentUserId, toSessionCheck, validateSessionToken } from './sessions';

type Ctx = Context<AppEnv>;

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
    if (!c.get('sessionToken')) throw signInRequired(c);
    await next();
    if (!c.get('user') && c.res.status < 300) {
      throw new Error(`${c.req.method} ${c.req.path} answered without checking the session`);
    }
  };
}

/** The response for a request without a valid session: a redirect for browsers, HX-Redirect for htmx. */
export function signInRequired(c: Ctx): HTTPException {
  // A stale or forged cookie is dropped, so the browser stops sending it.
  if (hasSessionCookie(c)) deleteSessionTokenCookie(c);
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

export interface Authenticated<R> {
  user: User;
  session: Session;
  out: R;
}

export interface MaybeAuthenticated<R> {
  user: User | null;
  out: R;
}

/**
 * Checks the session and runs `p` in the same batch: one database round trip. The plan receives the current user's
 * id as an SQL subquery (`me`), to use in permission conditions and writes, so a bad session reads and writes nothing.
 * Required (the default): no valid session is a redirect to sign-in. Optional: the visitor is anonymous instead (a
 * stale cookie is dropped), and the plan still runs.
 */
export async function authenticate<R = void>(c: Ctx, p?: Plan<R>): Promise<Authenticated<R>>;
export async function authenticate<R = void>(
  c: Ctx,
  p: Plan<R> | undefined,
  mode: 'optional',
): Promise<MaybeAuthenticated<R>>;
export async function authenticate<R>(
  c: Ctx,
  p: Plan<R> = nothing as Plan<R>,
  mode: 'required' | 'optional' = 'required',
): Promise<Authenticated<R> | MaybeAuthenticated<R>> {
  const token = c.get('sessionToken');
  if (!token) {
    if (mode === 'required') throw signInRequired(c);
    return { user: null, out: await runPlan(c.get('db'), p) };
  }
  const check = toSessionCheck(token, Date.now());
  // The header's unread count rides along with the session check: no page pays a round trip for it.
  const [[session, unread], out] = await runPlan(
    c.get('db'),
    both(both(validateSessionToken(check), unreadCount()), p),
    currentUserId(check),
  );
  if (!session.ok) {
    if (mode === 'required') throw signInRequired(c);
    deleteSessionTokenCookie(c);
    return { user: null, out };
  }
  c.set('user', session.user);
  c.set('sessionId', session.session.id);
  c.set('inboxUnread', unread);
  return { user: session.user, session: session.session, out };
}
