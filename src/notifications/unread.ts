/**
 * @module notifications/unread — the unread count the header shows, read with the session check (auth/authenticate)
 * so no page pays a round trip for it. Items of projects I may no longer see do not count.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { canSeeProject } from '../auth/permissions';
import { cached } from '../db/cached';
import { plan } from '../db/plan';
import { inboxItems, tickets } from '../db/schema';

/** The header counts unread items up to this many ("99+" from there): a bounded count on every request. */
export const UNREAD_CAP = 100;

// On every request, with the session check: its SQL is built once (db/cached).
const countUnread = cached('inbox.unread', (db, me) => {
  // A join, so drizzle qualifies the columns of `me` (sessions joined with users) inside it.
  const unread = db
    .select({ one: sql<number>`1`.as('one') })
    .from(inboxItems)
    .innerJoin(tickets, eq(tickets.id, inboxItems.ticketId))
    .where(and(eq(inboxItems.userId, me), isNull(inboxItems.readAt), canSeeProject(me, tickets.projectId)))
    .limit(UNREAD_CAP)
    .as('unread');
  return db.select({ n: sql<number>`count(*)` }).from(unread);
});

/** How many unread items I have, counted up to `UNREAD_CAP`. */
export function unreadCount() {
  return plan(
    (db, me) => [countUnread(db, me, {})] as const,
    ([rows]) => Number(rows[0]?.n ?? 0),
  );
}
