/** @module inbox/service — marking my inbox items read: one as I open it, or all at once. */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { plan } from '../db/plan';
import { inboxItems, projects, tickets } from '../db/schema';

/** Marks my item `id` read and answers where it leads (its ticket), or null when it is not mine or gone. */
export function openInboxItem(id: string, now: number) {
  return plan(
    (db, me) =>
      [
        db
          .update(inboxItems)
          .set({ readAt: sql`coalesce(${inboxItems.readAt}, ${now})` })
          .where(and(eq(inboxItems.id, id), eq(inboxItems.userId, me))),
        db
          .select({ projectKey: projects.key, number: tickets.number })
          .from(inboxItems)
          .innerJoin(tickets, eq(tickets.id, inboxItems.ticketId))
          .innerJoin(projects, eq(projects.id, tickets.projectId))
          .where(and(eq(inboxItems.id, id), eq(inboxItems.userId, me)))
          .limit(1),
      ] as const,
    ([, rows]) => rows[0] ?? null,
  );
}

/** Marks every unread item of mine read. */
export function markAllRead(now: number) {
  return plan(
    (db, me) =>
      [
        db
          .update(inboxItems)
          .set({ readAt: now })
          .where(and(eq(inboxItems.userId, me), isNull(inboxItems.readAt))),
      ] as const,
    () => undefined,
  );
}
