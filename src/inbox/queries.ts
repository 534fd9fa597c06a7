/**
 * @module inbox/queries — what the inbox reads: a page of my items (newest first, keyset paged). Items of projects I
 * may no longer see are left out (as from the header's count, notifications/unread).
 */
import { and, desc, eq, lt, or, sql, type SQL } from 'drizzle-orm';
import { canSeeProject } from '../auth/permissions';
import type { Db } from '../db/client';
import { plan } from '../db/plan';
import { comments, inboxItems, projects, ticketEvents, tickets } from '../db/schema';
import { decodeCursor, encodeCursor } from '../tickets/cursor';
import { userName } from '../tickets/sql';

export const INBOX_PAGE = 50;
function visible(me: SQL): SQL {
  return and(eq(inboxItems.userId, me), canSeeProject(me, tickets.projectId))!;
}

function inboxPage(db: Db, me: SQL, after: { createdAt: number; id: string } | null) {
  const before = after
    ? or(
        lt(inboxItems.createdAt, after.createdAt),
        and(eq(inboxItems.createdAt, after.createdAt), lt(inboxItems.id, after.id)),
      )!
    : sql`true`;
  return db
    .select({
      id: inboxItems.id,
      kind: inboxItems.kind,
      createdAt: inboxItems.createdAt,
      readAt: inboxItems.readAt,
      projectKey: projects.key,
      number: tickets.number,
      title: tickets.title,
      actorName: userName(inboxItems.actorId).as('actor_name'),
      field: ticketEvents.field,
      fromValue: sql<
        string | null
      >`case when ${ticketEvents.field} in ('status', 'priority') then ${ticketEvents.fromValue} end`.as('from_value'),
      toValue: sql<
        string | null
      >`case when ${ticketEvents.field} in ('status', 'priority') then ${ticketEvents.toValue} end`.as('to_value'),
      excerpt: sql<string | null>`substr(${comments.body}, 1, 200)`.as('excerpt'),
    })
    .from(inboxItems)
    .innerJoin(tickets, eq(tickets.id, inboxItems.ticketId))
    .innerJoin(projects, eq(projects.id, tickets.projectId))
    .leftJoin(ticketEvents, eq(ticketEvents.id, inboxItems.refId))
    .leftJoin(comments, eq(comments.id, inboxItems.refId))
    .where(and(visible(me), before))
    .orderBy(desc(inboxItems.createdAt), desc(inboxItems.id))
    .limit(INBOX_PAGE + 1);
}
export type InboxRow = Awaited<ReturnType<typeof inboxPage>>[number];

/** A page of my inbox after the cursor `after` (a malformed one gives the first page), and the next page's cursor. */
export function readInbox(after: string | undefined) {
  const cursor = decodeCursor(after, 'created');
  const from = cursor ? { createdAt: cursor.values[0]!, id: cursor.id } : null;
  return plan(
    (db, me) => [inboxPage(db, me, from)] as const,
    ([rows]) => {
      const items = rows.slice(0, INBOX_PAGE);
      const last = items[items.length - 1];
      const next =
        rows.length > INBOX_PAGE && last
          ? encodeCursor({ sort: 'created', values: [last.createdAt], id: last.id })
          : null;
      return { items, next, first: cursor === null };
    },
  );
}
