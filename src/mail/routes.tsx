/** @module mail/routes — the development-only outbox page (`/dev/mail`); absent in production. */
import { Hono } from 'hono/tiny';
import type { AppEnv } from '../env';
import { render } from '../web/render';
import { runPlan } from '../db/plan';
import { listOutbox, outboxEnabled } from './outbox';
import { Outbox } from './views/outbox';

export const devMailRoutes = new Hono<AppEnv>();

// Public on purpose (see isPublicPath): a local user opens join links from here in another browser profile.
devMailRoutes.get('/dev/mail', async (c) => {
  if (!outboxEnabled(c.var.config)) return c.notFound();
  const deliveries = await runPlan(c.var.db, listOutbox());
  // The page shows join and reset links: keep them out of Referer headers and caches.
  c.header('Referrer-Policy', 'no-referrer');
  c.header('Cache-Control', 'no-store');
  return render(c, { title: 'Outbox', partial: <Outbox deliveries={deliveries} /> });
});
