/**
 * @module tickets/queries — the ticket reads as plans: the list (keyset pages), the board, the ticket modal and the
 * forms. Every read is limited to projects the current user may see, so an empty answer is a 404.
 */
import { and, asc, desc, eq, isNull, ne, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { addDays, dueRank, utcDay } from '../lib/due-dates';
import type { Db } from '../db/client';
import type { SQLiteSelect } from 'drizzle-orm/sqlite-core';
import { dialectOf } from '../db/dialects';
import { comments, projects, STATUSES, ticketEvents, tickets, ticketWatchers, users, type Status } from '../db/schema';
import { canSeeProject } from '../auth/permissions';
import { visibleProjectByKey } from '../projects/queries';
import { decodeCursor, encodeCursor, type Cursor } from './cursor';
import { cached } from '../db/cached';
import { plan } from '../db/plan';
import { membersOf, ticketRef, userName, visibleProjectId } from './sql';
import type { ListQuery, MyQuery } from './schemas';

/** Cards per board column and per "Show more": the board's cost stays the same at any project size. */
export const BOARD_COLUMN_LIMIT = 15;
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
  dueDate: tickets.dueDate,
  dueRank: tickets.dueRank,
};

/** What a board card shows: less than a list row (no dates but the cursor's). */
const cardFields = {
  id: tickets.id,
  number: tickets.number,
  title: tickets.title,
  status: tickets.status,
  priority: tickets.priority,
  updatedAt: tickets.updatedAt,
  version: tickets.version,
  assigneeName: userName(tickets.assigneeId).as('assignee_name'),
  dueDate: tickets.dueDate,
};

function listConditions(db: Db, me: SQL, key: string, query: ListQuery, today: string): SQL {
  const conditions: (SQL | undefined)[] = [eq(tickets.projectId, visibleProjectId(me, key))];
  if (query.status) conditions.push(eq(tickets.status, query.status));
  if (query.priority) conditions.push(eq(tickets.priority, query.priority));
  if (query.assignee === 'me') conditions.push(eq(tickets.assigneeId, me));
  else if (query.assignee === 'none') conditions.push(isNull(tickets.assigneeId));
  else if (query.assignee) conditions.push(eq(tickets.assigneeId, query.assignee));
  if (query.q) conditions.push(searchCondition(db, key, query.q));
  conditions.push(dueCondition(query, today), afterCursor(query));
  return and(...conditions)!;
}

/**
 * The due-date filter, on the due rank (the sort's column): overdue is before today and not done; this week is today
 * and the six days after. "Today" is the server's UTC day: a list has no viewer's zone to go by. Under another sort the
 * rank is written `+due_rank`, which no index serves, so the planner keeps walking the sort's index (in order, no
 * sorting of the project's matches) as with every other filter.
 */
function dueCondition(query: Pick<ListQuery, 'due' | 'sort'>, today: string): SQL | undefined {
  const rank = query.sort === 'due' ? sql`${tickets.dueRank}` : sql`+${tickets.dueRank}`;
  if (query.due === 'overdue') return and(sql`${rank} < ${dueRank(today)}`, ne(tickets.status, 'DONE'));
  if (query.due === 'week') return sql`${rank} between ${dueRank(today)} and ${dueRank(addDays(today, 6))}`;
  return undefined;
}

/** The keyset condition of the page after `query.after` in `query.sort` (none for the first page). */
function afterCursor(query: Pick<ListQuery, 'sort' | 'after'>): SQL | undefined {
  const conditions: SQL[] = [];
  const cursor = decodeCursor(query.after, query.sort);
  if (cursor) {
    const [a, b] = cursor.values as [number, number?];
    if (query.sort === 'created') conditions.push(sql`(${tickets.createdAt}, ${tickets.id}) < (${a}, ${cursor.id})`);
    else if (query.sort === 'oldest') {
      conditions.push(sql`(${tickets.createdAt}, ${tickets.id}) > (${a}, ${cursor.id})`);
    } else if (query.sort === 'updated') {
      conditions.push(sql`(${tickets.updatedAt}, ${tickets.id}) < (${a}, ${cursor.id})`);
    } else if (query.sort === 'due') {
      conditions.push(sql`(${tickets.dueRank}, ${tickets.createdAt}, ${tickets.id}) > (${a}, ${b ?? 0}, ${cursor.id})`);
    } else {
      conditions.push(
        sql`(${tickets.priorityRank}, ${tickets.createdAt}, ${tickets.id}) < (${a}, ${b ?? 0}, ${cursor.id})`,
      );
    }
  }
  return conditions[0];
}

/** At most this many words of a search are conditions (the box takes 200 characters). */
export const SEARCH_WORDS = 12;

/**
 * The search box: every word, in any order, in the title or the description (ignoring ASCII case; substring matches
 * within one project, bounded by its size, no full-text index at this scale). A ticket key (`NEX-3`, or `3`) also
 * finds that ticket by its number.
 */
function searchCondition(db: Db, key: string | null, q: string): SQL {
  const { containsIgnoringCase } = dialectOf(db);
  const words = q.split(/\s+/).filter(Boolean).slice(0, SEARCH_WORDS);
  const text = and(
    ...words.map((w) => or(containsIgnoringCase(tickets.title, w), containsIgnoringCase(tickets.description, w))),
  )!;
  const number = key === null ? null : ticketNumberIn(key, q);
  return number === null ? text : or(eq(tickets.number, number), text)!;
}

/** The number a search names as a ticket key of this project (`NEX-3`, `nex-3`, `3`), or null. */
export function ticketNumberIn(key: string, q: string): number | null {
  const m = /^(?:([A-Za-z]{2,6})-)?([1-9]\d{0,8})$/.exec(q.trim());
  if (!m || (m[1] !== undefined && m[1].toUpperCase() !== key)) return null;
  return Number(m[2]);
}

function listOrder(sort: ListQuery['sort']) {
  if (sort === 'updated') return [desc(tickets.updatedAt), desc(tickets.id)];
  if (sort === 'priority') return [desc(tickets.priorityRank), desc(tickets.createdAt), desc(tickets.id)];
  if (sort === 'oldest') return [asc(tickets.createdAt), asc(tickets.id)];
  // Soonest first; undated tickets rank 99999999, so they come last.
  if (sort === 'due') return [asc(tickets.dueRank), asc(tickets.createdAt), asc(tickets.id)];
  return [desc(tickets.createdAt), desc(tickets.id)];
}

function listRows(db: Db, me: SQL, key: string, query: ListQuery, today: string) {
  return db
    .select(listFields)
    .from(tickets)
    .where(listConditions(db, me, key, query, today))
    .orderBy(...listOrder(query.sort))
    .limit(PAGE_SIZE + 1);
}

export type TicketRow = Awaited<ReturnType<typeof listRows>>[number];

/** One ticket as a list row (an in-place change answers with it). */
export function ticketRowOf(db: Db, me: SQL, key: string, number: number) {
  return db
    .select({ ...listFields, version: tickets.version, reporterName: userName(tickets.reporterId).as('reporter_name') })
    .from(tickets)
    .where(ticketRef(me, key, number))
    .limit(1);
}
export type TicketRowOf = Awaited<ReturnType<typeof ticketRowOf>>[number];

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
    sort === 'created' || sort === 'oldest'
      ? [last.createdAt]
      : sort === 'updated'
        ? [last.updatedAt]
        : [last.priorityRank, last.createdAt];
  return { rows: shown, next: encodeCursor({ sort, values, id: last.id }) };
}

/**
 * My issues: the tickets assigned to me or reported by me (`role` narrows it to one), in every project I may see,
 * filtered and paged like a project's list. Read through the assignee and reporter indexes: one person's tickets.
 */
function myRows(db: Db, me: SQL, query: MyQuery, today: string) {
  const mine =
    query.role === 'assigned'
      ? eq(tickets.assigneeId, me)
      : query.role === 'reported'
        ? eq(tickets.reporterId, me)
        : or(eq(tickets.assigneeId, me), eq(tickets.reporterId, me));
  const conditions: (SQL | undefined)[] = [mine, canSeeProject(me, tickets.projectId)];
  if (query.status) conditions.push(eq(tickets.status, query.status));
  if (query.priority) conditions.push(eq(tickets.priority, query.priority));
  if (query.q) conditions.push(searchCondition(db, null, query.q));
  conditions.push(dueCondition(query, today), afterCursor(query));
  return db
    .select({
      ...listFields,
      projectKey: sql<string>`(select ${projects.key} from ${projects} where ${projects.id} = ${tickets.projectId})`.as(
        'project_key',
      ),
    })
    .from(tickets)
    .where(and(...conditions))
    .orderBy(...listOrder(query.sort))
    .limit(PAGE_SIZE + 1);
}
export type MyRow = Awaited<ReturnType<typeof myRows>>[number];

export function listMyTickets(query: MyQuery, now: number = Date.now()) {
  const today = utcDay(now);
  return plan(
    (db, me) => [myRows(db, me, query, today)] as const,
    ([rows]) => toPage(rows, query.sort) as { rows: MyRow[]; next: string | null },
  );
}

/** The list partial: one page of rows (keyset, newest first unless sorted otherwise). */
export function listTickets(key: string, query: ListQuery, now: number = Date.now()) {
  const today = utcDay(now);
  return plan(
    (db, me) => [visibleProjectByKey(db, me, key), listRows(db, me, key, query, today)] as const,
    ([projectRows, rows]) => {
      const project = projectRows[0];
      return project ? { ok: true as const, project, page: toPage(rows, query.sort) } : { ok: false as const };
    },
  );
}

/** The project page: the list plus the members (for the assignee filter). */
export function readProjectPage(key: string, query: ListQuery, now: number = Date.now()) {
  const today = utcDay(now);
  return plan(
    (db, me) =>
      [visibleProjectByKey(db, me, key), listRows(db, me, key, query, today), membersOf(db, me, key)] as const,
    ([projectRows, rows, members]) => {
      const project = projectRows[0];
      return project ? { ok: true as const, project, page: toPage(rows, query.sort), members } : { ok: false as const };
    },
  );
}

/**
 * One page of a board column, most recently updated first, by keyset (`after` is the last card's cursor). One row
 * more than shown tells whether the column goes on. Built once per form (first page or after a cursor: db/cached).
 */
function boardColumn(db: Db, me: SQL, key: string, status: Status, after?: Cursor | null) {
  if (!after) return firstCards(db, me, { key, status });
  return cardsAfter(db, me, { key, status, updatedAt: after.values[0] as number, id: after.id });
}

function cards(db: Db, me: SQL, key: string, status: Status, after?: SQL) {
  return db
    .select(cardFields)
    .from(tickets)
    .where(and(eq(tickets.projectId, visibleProjectId(me, key)), eq(tickets.status, status), after))
    .orderBy(desc(tickets.updatedAt), desc(tickets.id))
    .limit(BOARD_COLUMN_LIMIT + 1);
}

const firstCards = cached('board.column', (db, me, v: { key: string; status: Status }) =>
  cards(db, me, v.key, v.status),
);

const cardsAfter = cached(
  'board.column.after',
  (db, me, v: { key: string; status: Status; updatedAt: number; id: string }) =>
    cards(db, me, v.key, v.status, sql`(${tickets.updatedAt}, ${tickets.id}) < (${v.updatedAt}, ${v.id})`),
);

export type CardRow = Awaited<ReturnType<typeof cards>>[number];

export interface BoardColumnPage {
  cards: CardRow[];
  /** The cursor of the column's next cards, when there are more. */
  next: string | null;
}

function toColumnPage(rows: CardRow[]): BoardColumnPage {
  if (rows.length <= BOARD_COLUMN_LIMIT) return { cards: rows, next: null };
  const cards = rows.slice(0, BOARD_COLUMN_LIMIT);
  const last = cards[cards.length - 1]!;
  return { cards, next: encodeCursor({ sort: 'updated', values: [last.updatedAt], id: last.id }) };
}

/** The board: a page of cards per status, most recently updated first (the counters give the totals). */
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
      const byStatus = Object.fromEntries(STATUSES.map((s, i) => [s, toColumnPage(columns[i]!)])) as Record<
        Status,
        BoardColumnPage
      >;
      return { ok: true as const, project, columns: byStatus };
    },
  );
}

/** "Show more" in one column: the cards after the cursor (a malformed cursor gives the first page). */
export function readBoardColumn(key: string, status: Status, after: string | undefined) {
  const cursor = decodeCursor(after, 'updated');
  return plan(
    (db, me) => [visibleProjectByKey(db, me, key), boardColumn(db, me, key, status, cursor)] as const,
    ([projectRows, rows]) => {
      const project = projectRows[0];
      return project ? { ok: true as const, project, column: toColumnPage(rows) } : { ok: false as const };
    },
  );
}

/** SQL (1 or 0): the current user watches the ticket of the `tickets` row in the query. */
export function isWatching(me: SQL) {
  return sql<number>`case when exists (select 1 from ${ticketWatchers} where ${ticketWatchers.ticketId} = ${tickets.id} and ${ticketWatchers.userId} = ${me}) then 1 else 0 end`.as(
    'watching',
  );
}

function ticketDetail(db: Db, me: SQL, key: string, number: number) {
  return detail(db, me, { key, number });
}

// The modal's statements: their SQL is built once (db/cached).
const detail = cached('ticket.detail', (db, me, { key, number }: { key: string; number: number }) =>
  db
    .select({
      id: tickets.id,
      number: tickets.number,
      title: tickets.title,
      description: tickets.description,
      status: tickets.status,
      priority: tickets.priority,
      reporterId: tickets.reporterId,
      assigneeId: tickets.assigneeId,
      dueDate: tickets.dueDate,
      createdAt: tickets.createdAt,
      updatedAt: tickets.updatedAt,
      version: tickets.version,
      descriptionHtml: tickets.descriptionHtml,
      renderedVersion: tickets.renderedVersion,
      reporterName: userName(tickets.reporterId).as('reporter_name'),
      assigneeName: userName(tickets.assigneeId).as('assignee_name'),
      watching: isWatching(me),
    })
    .from(tickets)
    .where(ticketRef(me, key, number))
    .limit(1),
);
export type TicketDetail = Awaited<ReturnType<typeof ticketDetail>>[number];

export const COMMENT_LIMIT = 200;
export const EVENT_LIMIT = 100;

function ticketIdOf(me: SQL, key: string, number: number): SQL {
  return sql`(select ${tickets.id} from ${tickets} where ${ticketRef(me, key, number)})`;
}

/** A ticket's comments or events, newest first, at most `limit` (the modal shows the latest). */
function newestOfTicket<Q extends SQLiteSelect>(
  query: Q,
  table: typeof comments | typeof ticketEvents,
  ticket: { me: SQL; key: string; number: number; limit: number },
) {
  return query
    .where(eq(table.ticketId, ticketIdOf(ticket.me, ticket.key, ticket.number)))
    .orderBy(desc(table.createdAt), desc(table.id))
    .limit(ticket.limit);
}

export function commentsOf(db: Db, me: SQL, key: string, number: number) {
  return commentsOfTicket(db, me, { key, number });
}

const commentsOfTicket = cached('ticket.comments', (db, me, { key, number }: { key: string; number: number }) => {
  const query = db
    .select({
      id: comments.id,
      body: comments.body,
      bodyHtml: comments.bodyHtml,
      renderedVersion: comments.renderedVersion,
      createdAt: comments.createdAt,
      authorId: comments.authorId,
      authorName: userName(comments.authorId).as('author_name'),
    })
    .from(comments)
    .$dynamic();
  return newestOfTicket(query, comments, { me, key, number, limit: COMMENT_LIMIT });
});
export type CommentRow = Awaited<ReturnType<typeof commentsOf>>[number];

function eventsOf(db: Db, me: SQL, key: string, number: number) {
  return eventsOfTicket(db, me, { key, number });
}

const eventsOfTicket = cached('ticket.events', (db, me, { key, number }: { key: string; number: number }) => {
  // Assignee events keep user ids; their names are read now, so a renamed user shows their current name.
  const nameIfAssignee = (value: SQLWrapper) =>
    sql<
      string | null
    >`(case when ${ticketEvents.field} = 'assignee' then (select ${users.name} from ${users} where ${users.id} = ${dialectOf(db).textAsId(value)}) end)`;
  const query = db
    .select({
      id: ticketEvents.id,
      field: ticketEvents.field,
      // A previous description can be long: the activity only links to it (see readPreviousDescription).
      fromValue: sql<
        string | null
      >`(case when ${ticketEvents.field} = 'description' then null else ${ticketEvents.fromValue} end)`.as(
        'from_value',
      ),
      toValue: ticketEvents.toValue,
      createdAt: ticketEvents.createdAt,
      actorName: userName(ticketEvents.actorId).as('actor_name'),
      fromName: nameIfAssignee(ticketEvents.fromValue).as('from_name'),
      toName: nameIfAssignee(ticketEvents.toValue).as('to_name'),
    })
    .from(ticketEvents)
    .$dynamic();
  return newestOfTicket(query, ticketEvents, { me, key, number, limit: EVENT_LIMIT });
});
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
        membersOf(db, me, key),
      ] as const,
    ([projectRows, ticketRows, commentRows, events, members]) => {
      const project = projectRows[0];
      const ticket = ticketRows[0];
      if (!project) return { ok: false as const, reason: 'project' as const };
      if (!ticket) return { ok: false as const, reason: 'ticket' as const, project };
      return { ok: true as const, project, ticket, comments: commentRows.reverse(), events, members };
    },
  );
}

/** The ticket modal's activity alone (it refreshes itself after a change made in place). */
export function readTicketActivity(key: string, number: number) {
  return plan(
    (db, me) =>
      [
        db
          .select({ id: tickets.id })
          .from(tickets)
          .where(ticketRef(me, key, number))
          .limit(1),
        eventsOf(db, me, key, number),
      ] as const,
    ([ticketRows, events]) => (ticketRows[0] ? events : null),
  );
}

/** The text a description change replaced, for anyone who may see the ticket (a 404 for everyone else). */
export function readPreviousDescription(key: string, number: number, eventId: string) {
  return plan(
    (db, me) =>
      [
        visibleProjectByKey(db, me, key),
        db
          .select({ text: ticketEvents.fromValue, createdAt: ticketEvents.createdAt })
          .from(ticketEvents)
          .where(
            and(
              eq(ticketEvents.id, eventId),
              eq(ticketEvents.ticketId, ticketIdOf(me, key, number)),
              eq(ticketEvents.field, 'description'),
            ),
          )
          .limit(1),
      ] as const,
    ([projectRows, events]) => {
      const project = projectRows[0];
      const event = events[0];
      return project && event
        ? { ok: true as const, project, text: event.text ?? '', createdAt: event.createdAt }
        : null;
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

/** One ticket as a list row, with the members (the row's editor offers them as assignees). */
export function readTicketRow(key: string, number: number) {
  return plan(
    (db, me) => [visibleProjectByKey(db, me, key), ticketRowOf(db, me, key, number), membersOf(db, me, key)] as const,
    ([projectRows, rows, members]) => {
      const project = projectRows[0];
      if (!project) return { ok: false as const, reason: 'project' as const };
      const ticket = rows[0];
      if (!ticket) return { ok: false as const, reason: 'ticket' as const, project };
      return { ok: true as const, project, ticket, members };
    },
  );
}

/** The project and its members (Preview: a mention shows the member's current name, as on the saved ticket). */
export function projectWithMembers(key: string) {
  return plan(
    (db, me) => [visibleProjectByKey(db, me, key), membersOf(db, me, key)] as const,
    ([projectRows, members]) => (projectRows[0] ? { project: projectRows[0], members } : null),
  );
}
