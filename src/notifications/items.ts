/**
 * @module notifications/items — inbox items as people read them: the one query of items with what they are about
 * (ticket, change, comment excerpt), newest first, and the sentence that says what happened. The inbox page and the
 * daily digest email both list items through these.
 */
import { desc, eq, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db/database';
import { dialectOf } from '../db/dialects';
import { comments, inboxItems, projects, ticketEvents, tickets, users, type Priority, type Status } from '../db/schema';
import { PRIORITY_LABELS, STATUS_LABELS } from '../views/labels';
import { FIELD_NAMES, namedFields } from './fields';

/** A status or priority change keeps its values (labelled when told); other fields only say they changed. */
const told = (value: SQLWrapper) =>
  sql<string | null>`case when ${ticketEvents.field} in ('status', 'priority') then ${value} end`;

/** The other changes of the same save as an item's change: same ticket, actor and time (ticket_events_ticket_idx). */
const sibling = alias(ticketEvents, 'sibling');
function otherFields(db: Db) {
  return sql<
    string | null
  >`(select ${dialectOf(db).commaList(sibling.field)} from ${ticketEvents} as ${sibling} where ${sibling.ticketId} = ${ticketEvents.ticketId} and ${sibling.createdAt} = ${ticketEvents.createdAt} and ${sibling.actorId} is not distinct from ${ticketEvents.actorId} and ${sibling.id} <> ${ticketEvents.id})`.as(
    'other_fields',
  );
}

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
      otherFields: otherFields(db),
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

/** The same save's other changes: ", and also the title" after a change, ", and changed the title" after the rest. */
function alsoChanged(item: InboxRow): string {
  const others = namedFields((item.otherFields ?? '').split(',').filter(Boolean));
  if (!others) return '';
  return item.kind === 'change' ? `, and also ${others}` : `, and changed ${others}`;
}

function valueLabel(field: string | null, value: string | null): string {
  if (value === null) return '—';
  if (field === 'status') return STATUS_LABELS[value as Status] ?? value;
  if (field === 'priority') return PRIORITY_LABELS[value as Priority] ?? value;
  return value;
}

/** What happened, in a sentence (a save that changed several fields is one item that names them all). */
export function inboxSummary(item: InboxRow): string {
  return leadSummary(item) + alsoChanged(item);
}

function leadSummary(item: InboxRow): string {
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
