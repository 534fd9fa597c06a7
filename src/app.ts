/** @module app — createApp(): middleware order, one route group per feature, error and not-found pages. */
// hono/tiny: the same Hono with its smallest router (PatternRouter); a few dozen routes need no more.
import { Hono } from 'hono/tiny';
import { HTTPException } from 'hono/http-exception';
import { accountRoutes } from './accounts/routes';
import { createDb, RoundTripCounter } from './db/client';
import { isDatabaseUnavailable } from './db/errors';
import { getConfig, type AppEnv } from './env';
import { bootstrapManager } from './invitations/bootstrap';
import { invitationRoutes } from './invitations/routes';
import { devMailRoutes } from './mail/routes';
import { canonicalPaths } from './middleware/canonical-path';
import { localHostOnly } from './middleware/local-host';
import { privatePages } from './middleware/private-pages';
import { bodySizeLimit, csrfProtection, securityHeaders } from './middleware/security';
import { requireSession } from './auth/authenticate';
import { sessionCookie } from './auth/cookies';
import { projectRoutes } from './projects/routes';
import { ticketRoutes } from './tickets/routes';
import { liveRoutes } from './live/routes';
import { inboxRoutes } from './inbox/routes';
import { varyOnHtmx } from './web/htmx';
import { renderError, renderNotFound } from './web/render';

export const ROUND_TRIP_HEADER = 'x-db-round-trips';

export function createApp() {
  const app = new Hono<AppEnv>({ strict: false });

  app.use(securityHeaders());
  app.use(varyOnHtmx());
  app.use(async function context(c, next) {
    const config = getConfig(c.env);
    const counter = new RoundTripCounter();
    c.set('config', config);
    c.set('roundTrips', counter);
    c.set('db', createDb(c.env, counter));
    await next();
    // Exposed only in test and bench runs; tests assert the per-request database budget with it.
    if (config.COUNT_DB_ROUND_TRIPS) c.res.headers.set(ROUND_TRIP_HEADER, String(counter.count));
  });
  app.use(localHostOnly());
  app.use(canonicalPaths());
  app.use(bodySizeLimit());
  app.use(csrfProtection());
  app.use(sessionCookie());
  app.use(privatePages());
  app.use(requireSession());

  // A fresh database gets its first manager invitation on the first health check or sign-in page.
  app.on('GET', ['/healthz', '/login'], bootstrapManager());
  app.get('/healthz', (c) => c.json({ ok: true }));

  app.route('/', accountRoutes);
  app.route('/', invitationRoutes);
  app.route('/', projectRoutes);
  app.route('/', ticketRoutes);
  app.route('/', liveRoutes);
  app.route('/', inboxRoutes);
  app.route('/', devMailRoutes);

  app.notFound((c) => renderNotFound(c));

  app.onError((err, c) => {
    if (err instanceof HTTPException) {
      if (err.res) return err.res;
      if (err.status === 404) return renderNotFound(c);
      if (err.status === 413) return renderError(c, 413, 'Too large', 'The request is too large.');
      return renderError(c, err.status, 'Request refused', err.message || 'The request could not be handled.');
    }
    if (isDatabaseUnavailable(err)) {
      console.error(`[error] ${c.req.method} ${c.req.path}: the database is unavailable:`, err.message);
      c.header('Retry-After', '5');
      return renderError(
        c,
        503,
        'Temporarily unavailable',
        'hticket cannot reach its database right now. Nothing was changed; please try again in a moment.',
      );
    }
    console.error(`[error] ${c.req.method} ${c.req.path}:`, err);
    return renderError(c, 500, 'Something went wrong', 'An unexpected error happened on our side. Please try again.');
  });

  return app;
}
