/**
 * @module middleware/canonical-path — one spelling per path, decided before routing: repeated and trailing slashes
 * and dot segments are taken out, so every rule that matches a path (public paths, route patterns) sees the same
 * path the router does. A GET or HEAD is sent to the canonical path; any other method gets a 404 (a form never posts
 * to a spelling the app did not write, and a redirect would make the browser repeat an unsafe request).
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';
import { renderNotFound } from '../web/render';

/** Token pages end with a slash: the links in emails are written that way. */
const ENDS_WITH_SLASH = /^\/(join|password-reset)\/[^/]+$/;
const DOT = /^(\.|%2e)$/i;
const DOT_DOT = /^(\.|%2e){2}$/i;

export function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || DOT.test(segment)) continue;
    if (DOT_DOT.test(segment)) segments.pop();
    else segments.push(segment);
  }
  const canonical = `/${segments.join('/')}`;
  return ENDS_WITH_SLASH.test(canonical) ? `${canonical}/` : canonical;
}

export function canonicalPaths(): MiddlewareHandler<AppEnv> {
  return async function canonicalPaths(c, next) {
    const url = new URL(c.req.url);
    const canonical = canonicalPath(url.pathname);
    if (canonical === url.pathname) return next();
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return renderNotFound(c);
    return c.redirect(`${canonical}${url.search}`, 301);
  };
}
