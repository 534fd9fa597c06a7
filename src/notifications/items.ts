/**
 * @module notifications/items — inbox items as people read them: the one query of items with what they are about
 * (ticket, change, comment excerpt), newest first, and the sentence that says what happened. The inbox page and the
 * daily digest email both list items through these.
 */
import { desc, eq, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Db } from '../db/database';
import { comments, inboxItems, projects, ticketEvents, tickets, users, type Priority, type Status } from '../db/schema';
import { PRIORITY_LABELS, STATUS_LABELS } from '../views/labels';

/** A status or priority change keeps its values (labelled when told); other fields only say they changed. */
const told = (value: SQLWrapper) =>
  sql<string | null>`case when ${ticketEvents.field} in ('status', 'priority') then ${value} end`;

/** Items matching `where` (on `inbox_items`, `tickets`), newest first, at most `limit`. */
export function selectInboxItems(db: Db, where: SQL, limit: number) {
  return db
    .select({
      id: inboxItems.id,
      kind: inboxItems.kind,
      createdAt: inboxItems.createdAt,
      readAt: inboxItems.readAt,
      projectKey: sql<string>`${projects.key}`.as('project_key'),
      number: tickets.number,
      title: tickets.title,
      actorName: sql<string | null>`(select ${users.name} from ${users} where ${users.id} = ${inboxItems.actorId})`.as(
        'actor_name',
      ),
      field: ticketEvents.field,
      fromValue: told(ticketEvents.fromValue).as('from_value'),
      toValue: told(ticketEvents.toValue).as('to_value'),
      excerpt: sql<string | null>`substr(${comments.body}, 1, 200)`.as('excerpt'),
    })
    .from(inboxItems)
    .innerJoin(tickets, eq(tickets.id, inboxItems.ticketId))
    .innerJoin(projects, eq(projects.id, tickets.projectId))
    .leftJoin(ticketEvents, eq(ticketEvents.id, inboxItems.refId))
    .leftJoin(comments, eq(comments.id, inboxItems.refId))
    .where(where)
    .orderBy(desc(inboxItems.createdAt), desc(inboxItems.id))
    .limit(limit);
}
export type InboxRow = Awaited<ReturnType<typeof selectInboxItems>>[number];

const FIELD_NAMES: Record<string, string> = {
  title: 'the title',
  description: 'the description',
  status: 'the status',
  priority: 'the priority',
  assignee: 'the assignee',
};

function valueLabel(field: string | null, value: string | null): string {
  if (value === null) return '—';
  if (field === 'status') return STATUS_LABELS[value as Status] ?? value;
  if (field === 'priority') return PRIORITY_LABELS[value as Priority] ?? value;
  return value;
}

/** What happened, in a sentence. */
export function inboxSummary(item: InboxRow): string {
  const who = item.actorName ?? 'Someone';
  switch (item.kind) {
    case 'mention':
      return `${who} mentioned you`;
    case 'assigned':
      return `${who} assigned it to you`;
    case 'unassigned':
      return `${who} unassigned you`;
    case 'comment':
      return `${who} commented: ${item.excerpt ?? ''}`;
    case 'reminder':
      return 'Reminder: it is due soon or overdue';
    default: {
      const field = FIELD_NAMES[item.field ?? ''] ?? 'it';
      if (item.field === 'status' || item.field === 'priority') {
        return `${who} changed ${field} from ${valueLabel(item.field, item.fromValue)} to ${valueLabel(item.field, item.toValue)}`;
      }
      return `${who} changed ${field}`;
    }
  }
}
