/** @module inbox/routes — /inbox: read my items, open one (marks it read), mark all read. */
import { Hono } from 'hono/tiny';
import { authenticate } from '../auth/authenticate';
import type { AppEnv } from '../env';
import { isUuid } from '../lib/crypto';
import { render, renderNotFound } from '../web/render';
import { ticketPath } from '../web/paths';
import { readInbox } from './queries';
import { markAllRead, openInboxItem } from './service';
import { InboxItems, InboxPage } from './views/inbox';

export const inboxRoutes = new Hono<AppEnv>();

inboxRoutes.get('/inbox', async (c) => {
  const { out } = await authenticate(c, readInbox(c.req.query('after')));
  return render(c, { title: 'Inbox', partial: <InboxPage {...out} /> });
});

/** "Load more": the next items alone. */
inboxRoutes.get('/inbox/items', async (c) => {
  const { out } = await authenticate(c, readInbox(c.req.query('after')));
  return c.html(<InboxItems items={out.items} next={out.next} />);
});

inboxRoutes.post('/inbox/read', async (c) => {
  await authenticate(c, markAllRead(Date.now()));
  return c.redirect('/inbox', 303);
});

inboxRoutes.post('/inbox/:id', async (c) => {
  const id = c.req.param('id');
  if (!isUuid(id)) return renderNotFound(c);
  const { out } = await authenticate(c, openInboxItem(id, Date.now()));
  if (!out) return renderNotFound(c);
  return c.redirect(ticketPath(out.projectKey, out.number), 303);
});
