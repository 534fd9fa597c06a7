/**
 * @module tickets/queries — the ticket reads as plans: the list (keyset pages), the board, the ticket modal and the
 * forms. Every read is limited to projects the current user may see, so an empty answer is a 404.
 */
import { and, desc, eq, isNull, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Db } from '../db/client';
import { comments, STATUSES, ticketEvents, tickets, users, type Status } from '../db/schema';
import { visibleProjectByKey } from '../projects/queries';
import { decodeCursor, encodeCursor } from './cursor';
import { plan } from '../db/plan';
import { membersOf, ticketRef, userName, visibleProjectId } from './sql';
import type { ListQuery } from './schemas';

export const BOARD_COLUMN_LIMIT = 50;
export const PAGE_SIZE = 50;

const listFields = {
  id: tickets.id,
  number: tickets.number,
  title: tickets.title,
  status: tickets.status,
  priority: tickets.priority,
  priorityRank: tickets.priorityRank,
  createdAt: tickets.createdAt,
  updatedAt: tickets.updatedAt,
  assigneeId: tickets.assigneeId,
  assigneeName: userName(tickets.assigneeId).as('assignee_name'),
};

function listConditions(me: SQL, key: string, query: ListQuery): SQL {
  const conditions: (SQL | undefined)[] = [eq(tickets.projectId, visibleProjectId(me, key))];
  if (query.status) conditions.push(eq(tickets.status, query.status));
  if (query.priority) conditions.push(eq(tickets.priority, query.priority));
  if (query.assignee === 'me') conditions.push(eq(tickets.assigneeId, me));
  else if (query.assignee === 'none') conditions.push(isNull(tickets.assigneeId));
  else if (query.assignee) conditions.push(eq(tickets.assigneeId, query.assignee));
  if (query.q) {
    // A substring match within one project: bounded by the project's size, no full-text index needed at this scale.
    // instr() rather than LIKE: D1 refuses LIKE patterns over 50 bytes, and the search box takes 200 characters.
    // lower() on both sides folds ASCII only, as LIKE did.
    const needle = sql`lower(${query.q})`;
    conditions.push(
      sql`(instr(lower(${tickets.title}), ${needle}) > 0 or instr(lower(${tickets.description}), ${needle}) > 0)`,
    );
  }
  const cursor = decodeCursor(query.after, query.sort);
  if (cursor) {
    const [a, b] = cursor.values as [number, number?];
    if (query.sort === 'created') conditions.push(sql`(${tickets.createdAt}, ${tickets.id}) < (${a}, ${cursor.id})`);
    else if (query.sort === 'updated') {
      conditions.push(sql`(${tickets.updatedAt}, ${tickets.id}) < (${a}, ${cursor.id})`);
    } else {
      conditions.push(
        sql`(${tickets.priorityRank}, ${tickets.createdAt}, ${tickets.id}) < (${a}, ${b ?? 0}, ${cursor.id})`,
      );
    }
  }
  return and(...conditions)!;
}

function listOrder(sort: ListQuery['sort']) {
  if (sort === 'updated') return [desc(tickets.updatedAt), desc(tickets.id)];
  if (sort === 'priority') return [desc(tickets.priorityRank), desc(tickets.createdAt), desc(tickets.id)];
  return [desc(tickets.createdAt), desc(tickets.id)];
}

function listRows(db: Db, me: SQL, key: string, query: ListQuery) {
  return db
    .select(listFields)
    .from(tickets)
    .where(listConditions(me, key, query))
    .orderBy(...listOrder(query.sort))
    .limit(PAGE_SIZE + 1);
}

export type TicketRow = Awaited<ReturnType<typeof listRows>>[number];

export interface TicketPage {
  rows: TicketRow[];
  /** The cursor of the next page, when there is one. */
  next: string | null;
}

function toPage(rows: TicketRow[], sort: ListQuery['sort']): TicketPage {
  if (rows.length <= PAGE_SIZE) return { rows, next: null };
  const shown = rows.slice(0, PAGE_SIZE);
  const last = shown[shown.length - 1]!;
  const values =
    sort === 'created' ? [last.createdAt] : sort === 'updated' ? [last.updatedAt] : [last.priorityRank, last.createdAt];
  return { rows: shown, next: encodeCursor({ sort, values, id: last.id }) };
}

/** The list partial: one page of rows (keyset, newest first unless sorted otherwise). */
export function listTickets(key: string, query: ListQuery) {
  return plan(
    (db, me) => [visibleProjectByKey(db, me, key), listRows(db, me, key, query)] as const,
    ([projectRows, rows]) => {
      const project = projectRows[0];
      return project ? { ok: true as const, project, page: toPage(rows, query.sort) } : { ok: false as const };
    },
  );
}

/** The project page: the list plus the members (for the assignee filter). */
export function readProjectPage(key: string, query: ListQuery) {
  return plan(
    (db, me) => [visibleProjectByKey(db, me, key), listRows(db, me, key, query), membersOf(db, me, key)] as const,
    ([projectRows, rows, members]) => {
      const project = projectRows[0];
      return project ? { ok: true as const, project, page: toPage(rows, query.sort), members } : { ok: false as const };
    },
  );
}

function boardColumn(db: Db, me: SQL, key: string, status: Status) {
  return db
    .select(listFields)
    .from(tickets)
    .where(and(eq(tickets.projectId, visibleProjectId(me, key)), eq(tickets.status, status)))
    .orderBy(desc(tickets.updatedAt), desc(tickets.id))
    .limit(BOARD_COLUMN_LIMIT);
}

/** The board: a column per status, most recently updated first, each capped (the counters give the totals). */
export function readBoard(key: string) {
  return plan(
    (db, me) =>
      [
        visibleProjectByKey(db, me, key),
        boardColumn(db, me, key, 'OPEN'),
        boardColumn(db, me, key, 'IN_PROGRESS'),
        boardColumn(db, me, key, 'REVIEW'),
        boardColumn(db, me, key, 'DONE'),
      ] as const,
    ([projectRows, ...columns]) => {
      const project = projectRows[0];
      if (!project) return { ok: false as const };
      const byStatus = Object.fromEntries(STATUSES.map((s, i) => [s, columns[i]!])) as Record<Status, TicketRow[]>;
      return { ok: true as const, project, columns: byStatus };
    },
  );
}

function ticketDetail(db: Db, me: SQL, key: string, number: number) {
  return db
    .select({
      id: tickets.id,
      number: tickets.number,
      title: tickets.title,
      description: tickets.description,
      status: tickets.status,
      priority: tickets.priority,
      reporterId: tickets.reporterId,
      assigneeId: tickets.assigneeId,
      createdAt: tickets.createdAt,
      updatedAt: tickets.updatedAt,
      reporterName: userName(tickets.reporterId).as('reporter_name'),
      assigneeName: userName(tickets.assigneeId).as('assignee_name'),
    })
    .from(tickets)
    .where(ticketRef(me, key, number))
    .limit(1);
}
export type TicketDetail = Awaited<ReturnType<typeof ticketDetail>>[number];

export const COMMENT_LIMIT = 200;
export const EVENT_LIMIT = 100;

function ticketIdOf(me: SQL, key: string, number: number): SQL {
  return sql`(select ${tickets.id} from ${tickets} where ${ticketRef(me, key, number)})`;
}

export function commentsOf(db: Db, me: SQL, key: string, number: number) {
  return db
    .select({
      id: comments.id,
      body: comments.body,
      createdAt: comments.createdAt,
      authorId: comments.authorId,
      authorName: userName(comments.authorId).as('author_name'),
    })
    .from(comments)
    .where(eq(comments.ticketId, ticketIdOf(me, key, number)))
    .orderBy(desc(comments.createdAt), desc(comments.id))
    .limit(COMMENT_LIMIT);
}
export type CommentRow = Awaited<ReturnType<typeof commentsOf>>[number];

function eventsOf(db: Db, me: SQL, key: string, number: number) {
  // Assignee events keep user ids; their names are read now, so a renamed user shows their current name.
  const nameIfAssignee = (value: SQLWrapper) =>
    sql<
      string | null
    >`(case when ${ticketEvents.field} = 'assignee' then (select ${users.name} from ${users} where ${users.id} = ${value}) end)`;
  return db
    .select({
      id: ticketEvents.id,
      field: ticketEvents.field,
      fromValue: ticketEvents.fromValue,
      toValue: ticketEvents.toValue,
      createdAt: ticketEvents.createdAt,
      actorName: userName(ticketEvents.actorId).as('actor_name'),
      fromName: nameIfAssignee(ticketEvents.fromValue).as('from_name'),
      toName: nameIfAssignee(ticketEvents.toValue).as('to_name'),
    })
    .from(ticketEvents)
    .where(eq(ticketEvents.ticketId, ticketIdOf(me, key, number)))
    .orderBy(desc(ticketEvents.createdAt), desc(ticketEvents.id))
    .limit(EVENT_LIMIT);
}
export type EventRow = Awaited<ReturnType<typeof eventsOf>>[number];

/** The ticket modal: the ticket, its comments (oldest first) and its activity (newest first). */
export function readTicket(key: string, number: number) {
  return plan(
    (db, me) =>
      [
        visibleProjectByKey(db, me, key),
        ticketDetail(db, me, key, number),
        commentsOf(db, me, key, number),
        eventsOf(db, me, key, number),
      ] as const,
    ([projectRows, ticketRows, commentRows, events]) => {
      const project = projectRows[0];
      const ticket = ticketRows[0];
      if (!project) return { ok: false as const, reason: 'project' as const };
      if (!ticket) return { ok: false as const, reason: 'ticket' as const, project };
      return { ok: true as const, project, ticket, comments: commentRows.reverse(), events };
    },
  );
}

/** The new / edit form: the project, its members (assignee choices) and, for an edit, the ticket. */
export function readTicketForm(key: string, number: number | null) {
  return plan(
    (db, me) =>
      [visibleProjectByKey(db, me, key), membersOf(db, me, key), ticketDetail(db, me, key, number ?? 0)] as const,
    ([projectRows, members, ticketRows]) => {
      const project = projectRows[0];
      if (!project) return { ok: false as const, reason: 'project' as const };
      const ticket = ticketRows[0];
      if (number !== null && !ticket) return { ok: false as const, reason: 'ticket' as const, project };
      return { ok: true as const, project, members, ticket: ticket ?? null };
    },
  );
}

/** Only the project (Preview, the delete confirmation's permission is read with the ticket). */
export function findProject(key: string) {
  return plan(
    (db, me) => [visibleProjectByKey(db, me, key)] as const,
    ([projectRows]) => projectRows[0] ?? null,
  );
}
