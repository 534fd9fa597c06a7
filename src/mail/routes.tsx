/** @module mail/routes — the development-only outbox page (`/dev/mail`); absent in production. */
import { Hono } from 'hono/tiny';
import { outboxEnabled, type AppEnv } from '../env';
import { outboxPath } from '../web/paths';
import { render } from '../web/render';
import { runPlan } from '../db/plan';
import { listOutbox, outboxKeyMatches } from './outbox';
import { Outbox } from './views/outbox';

export const devMailRoutes = new Hono<AppEnv>();

// Public on purpose (see isPublicPath): a local user opens join links from here in another browser profile. It asks
// for the run's own key, which only the console of `npm start` shows: a page rebinding its DNS name to this machine, or
// another local program guessing the URL, finds nothing.
devMailRoutes.get('/dev/mail', async (c) => {
  const config = c.get('config');
  if (!outboxEnabled(config) || !outboxKeyMatches(config, c.req.query('key'))) return c.notFound();
  const deliveries = await runPlan(c.get('db'), listOutbox());
  // The page shows join and reset links: keep them out of Referer headers and caches.
  c.header('Referrer-Policy', 'no-referrer');
  c.header('Cache-Control', 'no-store');
  const path = outboxPath(config.DEV_OUTBOX_KEY!);
  return render(c, { title: 'Outbox', partial: <Outbox deliveries={deliveries} path={path} /> });
});
