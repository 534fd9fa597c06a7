/**
 * @module middleware/private-pages — what a signed-in person sees stays out of every cache: pages, partials, redirects
 * and errors alike, so after sign-out the Back button cannot show them again without asking the server.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';

export const PRIVATE_NO_STORE = 'no-store, private';

/**
 * Any request that carries a session cookie (checked or not) is answered `no-store, private`. A route may keep a
 * private caching rule of its own (avatars: `private, max-age=…`; sign-out clears those with Clear-Site-Data).
 */
export function privatePages(): MiddlewareHandler<AppEnv> {
  return async function privatePages(c, next) {
    await next();
    if (!c.get('sessionToken') && !c.get('user')) return;
    if (c.res.headers.get('Cache-Control')?.includes('private')) return;
    c.res.headers.set('Cache-Control', PRIVATE_NO_STORE);
  };
}
