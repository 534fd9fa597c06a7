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
import { selectInboxItems, type InboxRow } from '../notifications/items';

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
  return selectInboxItems(db, and(visible(me), before)!, INBOX_PAGE + 1);
}
export type { InboxRow };

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
