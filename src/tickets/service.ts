/**
 * @module tickets/service — every ticket read and write as one batch. Each operation is a plan: `build(me)` gives the
 * statements (to run inside `authenticate()`, with `me` the current-user subquery, so the session check and the work
 * are one round trip) and `read(results)` turns the batch's answer into a value. Writes are conditional (`UPDATE …
 * WHERE`, `INSERT … SELECT … WHERE`) on the user being allowed, and a read in the same batch tells what happened.
 */
import { and, asc, desc, eq, isNull, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { BatchItem, BatchResponse } from 'drizzle-orm/batch';
import { canSeeProject, isMemberOf, meIsManager } from '../accounts/permissions';
import type { Db } from '../db/client';
import {
  comments,
  mailDeliveries,
  PRIORITIES,
  projectMembers,
  projects,
  STATUSES,
  ticketEvents,
  tickets,
  users,
  type Priority,
  type Project,
  type Status,
} from '../db/schema';
import type { MailMessage } from '../mail/messages';
import { visibleProjectByKey } from '../projects/queries';
import { decodeCursor, encodeCursor } from './cursor';
import type { ListQuery, TicketInput } from './schemas';

export type Statements = readonly [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]];

export interface Plan<T extends Statements, R> {
  build: (me: SQL) => T;
  read: (results: BatchResponse<T>) => R;
}

function plan<const T extends Statements, R>(build: (me: SQL) => T, read: (results: BatchResponse<T>) => R) {
  return { build, read } satisfies Plan<T, R>;
}

/** Runs a plan on its own (the libSQL tests, scripts); routes run `build` inside `authenticate()` instead. */
export async function runPlan<T extends Statements, R>(db: Db, p: Plan<T, R>, me: SQL): Promise<R> {
  return p.read((await db.batch(p.build(me) as unknown as [BatchItem<'sqlite'>])) as unknown as BatchResponse<T>);
}

export const BOARD_COLUMN_LIMIT = 100;
export const PAGE_SIZE = 50;

export function priorityRank(priority: Priority): number {
  return PRIORITIES.indexOf(priority);
}

/** The id of the project with this key, only when the current user may see it (NULL otherwise). */
function visibleProjectId(me: SQL, key: string): SQL {
  return sql`(select ${projects.id} from ${projects} where ${projects.key} = ${key} and ${canSeeProject(me, projects.id)})`;
}

function ticketRef(me: SQL, key: string, number: number): SQL {
  return and(eq(tickets.projectId, visibleProjectId(me, key)), eq(tickets.number, number))!;
}

const COUNTERS = {
  OPEN: 'openCount',
  IN_PROGRESS: 'inProgressCount',
  REVIEW: 'reviewCount',
  DONE: 'doneCount',
} as const satisfies Record<Status, keyof Project>;

/**
 * The SET clause that moves one ticket between the per-status counters: +1 for `to`, −1 for `from` (either may be
 * NULL, for a create or a delete). Runs on the projects row, so `from` may read the ticket's current status.
 */
function counterShift(from: SQL | null, to: Status | null) {
  const set: Partial<Record<(typeof COUNTERS)[Status], SQL>> = {};
  for (const status of STATUSES) {
    const column = projects[COUNTERS[status]];
    const plus = to === status ? sql` + 1` : sql``;
    const minus = from ? sql` - (case when ${from} = ${status} then 1 else 0 end)` : sql``;
    if (to === status || from) set[COUNTERS[status]] = sql`${column}${plus}${minus}`;
  }
  return set;
}

function ticketStatusOnProjectRow(number: number): SQL {
  return sql`(select ${tickets.status} from ${tickets} where ${tickets.projectId} = ${projects.id} and ${tickets.number} = ${number})`;
}

const userName = (id: SQLWrapper) => sql<string | null>`(select ${users.name} from ${users} where ${users.id} = ${id})`;

function membersOf(db: Db, me: SQL, key: string) {
  return db
    .select({ id: users.id, name: users.name })
    .from(projectMembers)
    .innerJoin(users, eq(users.id, projectMembers.userId))
    .where(and(eq(projectMembers.projectId, visibleProjectId(me, key)), isNull(users.disabledAt)))
    .orderBy(asc(users.name));
}
export type Member = { id: string; name: string };

// ---------------------------------------------------------------------------------------------------------------
// Reads

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
    // LIKE within one project: bounded by the project's size, no full-text index needed at this scale.
    const pattern = `%${query.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    conditions.push(
      sql`(${tickets.title} like ${pattern} escape '\\' or ${tickets.description} like ${pattern} escape '\\')`,
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
export function ticketListPlan(db: Db, key: string, query: ListQuery) {
  return plan(
    (me) => [visibleProjectByKey(db, me, key), listRows(db, me, key, query)] as const,
    ([projectRows, rows]) => {
      const project = projectRows[0];
      return project ? { ok: true as const, project, page: toPage(rows, query.sort) } : { ok: false as const };
    },
  );
}

/** The project page: the list plus the members (for the assignee filter). */
export function projectPagePlan(db: Db, key: string, query: ListQuery) {
  return plan(
    (me) => [visibleProjectByKey(db, me, key), listRows(db, me, key, query), membersOf(db, me, key)] as const,
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
export function boardPlan(db: Db, key: string) {
  return plan(
    (me) =>
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

function commentsOf(db: Db, me: SQL, key: string, number: number) {
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
export function ticketViewPlan(db: Db, key: string, number: number) {
  return plan(
    (me) =>
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
export function ticketFormPlan(db: Db, key: string, number: number | null) {
  return plan(
    (me) => [visibleProjectByKey(db, me, key), membersOf(db, me, key), ticketDetail(db, me, key, number ?? 0)] as const,
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
export function projectPlan(db: Db, key: string) {
  return plan(
    (me) => [visibleProjectByKey(db, me, key)] as const,
    ([projectRows]) => projectRows[0] ?? null,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Writes

export type WriteFailure =
  | { ok: false; reason: 'project' }
  | { ok: false; reason: 'ticket'; project: Project }
  | { ok: false; reason: 'assignee'; project: Project; members: Member[] }
  | { ok: false; reason: 'forbidden'; project: Project };

function failure(
  project: Project | undefined,
  ticketExists: boolean,
  members: Member[] = [],
): Exclude<WriteFailure, { reason: 'forbidden' }> {
  if (!project) return { ok: false, reason: 'project' };
  if (!ticketExists) return { ok: false, reason: 'ticket', project };
  return { ok: false, reason: 'assignee', project, members };
}

/** SQL: `assignee` may be set on a ticket of the project `projectId` (a member; NULL means nobody). */
function assigneeAllowed(assignee: string | null, projectId: SQL | typeof projects.id): SQL {
  return assignee === null ? sql`1` : isMemberOf(assignee, projectId);
}

/**
 * Creates a ticket: bumps the project's number and status counter, then inserts the ticket numbered from it, both on
 * the same condition (visible project, assignee a member), so either both happen or neither does.
 */
export function createTicketPlan(db: Db, key: string, input: TicketInput, now: number) {
  const id = crypto.randomUUID();
  return plan(
    (me) => {
      const allowed = and(
        eq(projects.key, key),
        canSeeProject(me, projects.id),
        assigneeAllowed(input.assignee, projects.id),
      );
      return [
        db
          .update(projects)
          .set({ nextTicketNumber: sql`${projects.nextTicketNumber} + 1`, ...counterShift(null, input.status) })
          .where(allowed),
        db
          .insert(tickets)
          .select(
            db
              .select({
                id: sql<string>`${id}`.as('id'),
                projectId: projects.id,
                number: sql<number>`${projects.nextTicketNumber} - 1`.as('number'),
                reporterId: sql<string>`${me}`.as('reporter_id'),
                assigneeId: sql<string | null>`${input.assignee}`.as('assignee_id'),
                title: sql<string>`${input.title}`.as('title'),
                description: sql<string>`${input.description}`.as('description'),
                status: sql<Status>`${input.status}`.as('status'),
                priority: sql<Priority>`${input.priority}`.as('priority'),
                priorityRank: sql<number>`${priorityRank(input.priority)}`.as('priority_rank'),
                createdAt: sql<number>`${now}`.as('created_at'),
                updatedAt: sql<number>`${now}`.as('updated_at'),
              })
              .from(projects)
              .where(allowed),
          )
          .returning({ id: tickets.id, number: tickets.number }),
        visibleProjectByKey(db, me, key),
        membersOf(db, me, key),
      ] as const;
    },
    ([, inserted, projectRows, members]) => {
      const created = inserted[0];
      if (created) return { ok: true as const, id: created.id, number: created.number, project: projectRows[0]! };
      return failure(projectRows[0], true, members);
    },
  );
}

const TRACKED = ['title', 'status', 'priority', 'assignee'] as const;
type Tracked = (typeof TRACKED)[number];
const TRACKED_COLUMNS = {
  title: tickets.title,
  status: tickets.status,
  priority: tickets.priority,
  assignee: tickets.assigneeId,
} as const;

/** An activity row for `field`, written only when its value really changes (so before the ticket's UPDATE). */
function recordChange(db: Db, me: SQL, where: SQL, field: Tracked, to: string | null, now: number, id: string) {
  const column = TRACKED_COLUMNS[field];
  return db.insert(ticketEvents).select(
    db
      .select({
        id: sql<string>`${id}`.as('id'),
        ticketId: tickets.id,
        actorId: sql<string>`${me}`.as('actor_id'),
        field: sql<string>`${field}`.as('field'),
        fromValue: sql<string | null>`${column}`.as('from_value'),
        toValue: sql<string | null>`${to}`.as('to_value'),
        createdAt: sql<number>`${now}`.as('created_at'),
      })
      .from(tickets)
      .where(and(where, sql`${column} is not ${to}`)),
  );
}

/** Moves the ticket between status counters when its status changes; runs before the ticket's own UPDATE. */
function shiftCounters(db: Db, me: SQL, key: string, number: number, status: Status, extra: SQL = sql`1`) {
  return db
    .update(projects)
    .set(counterShift(ticketStatusOnProjectRow(number), status))
    .where(
      and(
        eq(projects.key, key),
        canSeeProject(me, projects.id),
        sql`exists (select 1 from ${tickets} where ${tickets.projectId} = ${projects.id} and ${tickets.number} = ${number} and ${tickets.status} != ${status} and ${extra})`,
      ),
    );
}

function ticketExists(db: Db, me: SQL, key: string, number: number) {
  return db
    .select({ id: tickets.id, reporterId: tickets.reporterId })
    .from(tickets)
    .where(ticketRef(me, key, number));
}

/**
 * Edits a ticket: activity rows for the tracked fields that change, the status counters, then the ticket itself, all
 * on the same condition. The current assignee may stay even if they left the project; a new one must be a member.
 */
export function updateTicketPlan(db: Db, key: string, number: number, input: TicketInput, now: number) {
  const eventIds = TRACKED.map(() => crypto.randomUUID());
  return plan(
    (me) => {
      const keepsOrMember =
        input.assignee === null
          ? sql`1`
          : or(eq(tickets.assigneeId, input.assignee), isMemberOf(input.assignee, tickets.projectId))!;
      const where = and(ticketRef(me, key, number), keepsOrMember)!;
      const to: Record<Tracked, string | null> = {
        title: input.title,
        status: input.status,
        priority: input.priority,
        assignee: input.assignee,
      };
      return [
        recordChange(db, me, where, 'title', to.title, now, eventIds[0]!),
        recordChange(db, me, where, 'status', to.status, now, eventIds[1]!),
        recordChange(db, me, where, 'priority', to.priority, now, eventIds[2]!),
        recordChange(db, me, where, 'assignee', to.assignee, now, eventIds[3]!),
        shiftCounters(db, me, key, number, input.status, keepsOrMember),
        db
          .update(tickets)
          .set({
            title: input.title,
            description: input.description,
            status: input.status,
            priority: input.priority,
            priorityRank: priorityRank(input.priority),
            assigneeId: input.assignee,
            updatedAt: now,
          })
          .where(where)
          .returning({ id: tickets.id, number: tickets.number }),
        visibleProjectByKey(db, me, key),
        ticketExists(db, me, key, number),
        membersOf(db, me, key),
      ] as const;
    },
    ([, , , , , updated, projectRows, existing, members]) => {
      if (updated[0]) return { ok: true as const, project: projectRows[0]! };
      return failure(projectRows[0], existing.length > 0, members);
    },
  );
}

/** A UUID v4 made by SQLite, for rows whose number is only known inside the batch (one delivery per recipient). */
const SQL_UUID = sql.raw(
  `lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))`,
);

/**
 * One `mail_deliveries` row per person on the ticket (reporter, assignee, commenters) who still may see the project,
 * has notifications on and is not the actor. `ticketId` is read from the event or comment row, so nothing is planned
 * when that row was not written.
 */
function planActivityMail(db: Db, me: SQL, refId: string, ticketId: SQL, now: number) {
  const onTicket = sql`${users.id} in (
    select ${tickets.reporterId} from ${tickets} where ${tickets.id} = ${ticketId}
    union select ${tickets.assigneeId} from ${tickets} where ${tickets.id} = ${ticketId}
    union select ${comments.authorId} from ${comments} where ${comments.ticketId} = ${ticketId})`;
  const seesProject = sql`(${users.role} = 'MANAGER' or exists (select 1 from ${projectMembers}
    where ${projectMembers.userId} = ${users.id}
      and ${projectMembers.projectId} = (select ${tickets.projectId} from ${tickets} where ${tickets.id} = ${ticketId})))`;
  return db.insert(mailDeliveries).select(
    db
      .select({
        id: sql<string>`${SQL_UUID}`.as('id'),
        kind: sql<string>`'ticket_activity'`.as('kind'),
        refId: sql<string>`${refId}`.as('ref_id'),
        recipient: users.email,
        status: sql<'QUEUED'>`'QUEUED'`.as('status'),
        attempts: sql<number>`0`.as('attempts'),
        lastError: sql<string | null>`null`.as('last_error'),
        providerId: sql<string | null>`null`.as('provider_id'),
        subject: sql<string | null>`null`.as('subject'),
        textBody: sql<string | null>`null`.as('text_body'),
        createdAt: sql<number>`${now}`.as('created_at'),
        sentAt: sql<number | null>`null`.as('sent_at'),
      })
      .from(users)
      .where(
        and(
          onTicket,
          eq(users.notifyEmail, true),
          isNull(users.disabledAt),
          sql`${users.id} is not ${me}`,
          seesProject,
        ),
      ),
  );
}

function plannedDeliveries(db: Db, refId: string) {
  return db
    .select({
      deliveryId: sql<string>`${mailDeliveries.id}`.as('delivery_id'),
      recipientId: sql<string>`${users.id}`.as('recipient_id'),
    })
    .from(mailDeliveries)
    .innerJoin(users, eq(users.email, mailDeliveries.recipient))
    .where(and(eq(mailDeliveries.refId, refId), eq(mailDeliveries.kind, 'ticket_activity')));
}

export type ActivityMessage = Extract<MailMessage, { type: 'ticket_activity' }>;

function activityMessages(
  rows: readonly { deliveryId: string; recipientId: string }[],
  id: string,
  kind: 'status' | 'comment',
): ActivityMessage[] {
  return rows.map((r) => ({ type: 'ticket_activity', id, kind, recipientId: r.recipientId, deliveryId: r.deliveryId }));
}

/** The board's move (and the "Move to…" control): status, counters, activity and notifications in one batch. */
export function changeStatusPlan(db: Db, key: string, number: number, status: Status, now: number) {
  const eventId = crypto.randomUUID();
  return plan(
    (me) => {
      const where = ticketRef(me, key, number);
      return [
        recordChange(db, me, where, 'status', status, now, eventId),
        shiftCounters(db, me, key, number, status),
        db
          .update(tickets)
          .set({
            status,
            updatedAt: sql`case when ${tickets.status} is not ${status} then ${now} else ${tickets.updatedAt} end`,
          })
          .where(where)
          .returning({ id: tickets.id, number: tickets.number }),
        planActivityMail(
          db,
          me,
          eventId,
          sql`(select ${ticketEvents.ticketId} from ${ticketEvents} where ${ticketEvents.id} = ${eventId})`,
          now,
        ),
        plannedDeliveries(db, eventId),
      ] as const;
    },
    ([, , updated, , deliveries]) => {
      if (!updated[0]) return { ok: false as const };
      return { ok: true as const, messages: activityMessages(deliveries, eventId, 'status') };
    },
  );
}

/** Adds a comment, bumps the ticket's updated_at and plans the notifications; reads back the refreshed comments. */
export function addCommentPlan(db: Db, key: string, number: number, body: string, now: number) {
  const commentId = crypto.randomUUID();
  const ticketOfComment = sql`(select ${comments.ticketId} from ${comments} where ${comments.id} = ${commentId})`;
  return plan(
    (me) =>
      [
        db.insert(comments).select(
          db
            .select({
              id: sql<string>`${commentId}`.as('id'),
              ticketId: tickets.id,
              authorId: sql<string>`${me}`.as('author_id'),
              body: sql<string>`${body}`.as('body'),
              createdAt: sql<number>`${now}`.as('created_at'),
            })
            .from(tickets)
            .where(ticketRef(me, key, number)),
        ),
        db.update(tickets).set({ updatedAt: now }).where(eq(tickets.id, ticketOfComment)),
        planActivityMail(db, me, commentId, ticketOfComment, now),
        plannedDeliveries(db, commentId),
        commentsOf(db, me, key, number),
      ] as const,
    ([, , , deliveries, commentRows]) => {
      if (!commentRows.some((c) => c.id === commentId)) return { ok: false as const };
      return {
        ok: true as const,
        comments: commentRows.reverse(),
        messages: activityMessages(deliveries, commentId, 'comment'),
      };
    },
  );
}

/** Deletes a ticket (a manager or its reporter) and takes it off its status counter, in one batch. */
export function deleteTicketPlan(db: Db, key: string, number: number) {
  return plan(
    (me) => {
      const mayDelete = or(meIsManager(me), eq(tickets.reporterId, me))!;
      return [
        db
          .update(projects)
          .set(counterShift(ticketStatusOnProjectRow(number), null))
          .where(
            and(
              eq(projects.key, key),
              canSeeProject(me, projects.id),
              sql`exists (select 1 from ${tickets} where ${tickets.projectId} = ${projects.id} and ${tickets.number} = ${number} and ${mayDelete})`,
            ),
          ),
        db
          .delete(tickets)
          .where(and(ticketRef(me, key, number), mayDelete))
          .returning({ id: tickets.id }),
        visibleProjectByKey(db, me, key),
        ticketExists(db, me, key, number),
      ] as const;
    },
    ([, deleted, projectRows, existing]) => {
      if (deleted[0]) return { ok: true as const, project: projectRows[0]! };
      const project = projectRows[0];
      if (!project) return { ok: false as const, reason: 'project' as const };
      if (existing.length === 0) return { ok: false as const, reason: 'ticket' as const, project };
      return { ok: false as const, reason: 'forbidden' as const, project };
    },
  );
}
