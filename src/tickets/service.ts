/**
 * @module tickets/service — the ticket writes as plans (see ./plan). Each is one batch of conditional statements
 * (`UPDATE … WHERE`, `INSERT … SELECT … WHERE`) on the user being allowed, kept consistent with the project's counters,
 * the activity history and the notification rows, and a read in the same batch tells what happened.
 */
import { and, desc, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import { canSeeProject, isMemberOf, meCanDeleteTicket, userCanSeeProject } from '../auth/permissions';
import type { SQLiteUpdateSetSource } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db/client';
import { dialectOf } from '../db/dialects';
import { claimedBy, claimFormKey, formKeyOf, readFormKey, resultOfKey } from '../db/form-keys';
import { insertSelectFields } from '../db/insert-select';
import {
  comments,
  projectMembers,
  projects,
  STATUS_COUNTS,
  STATUSES,
  ticketEvents,
  tickets,
  users,
  type Priority,
  type Project,
  type Status,
} from '../db/schema';
import { COMMENT_MAX, MARKDOWN_VERSION, markdownToHtml } from '../lib/markdown';
import {
  activityMessages,
  extractMentions,
  mentionsAllowed,
  notifyComment,
  notifyFieldChanges,
  notifyNewTicket,
  planEmails,
  plannedEmails,
  watch,
  watchAll,
  watchAssigned,
  unwatch,
} from '../notifications';
import { visibleProjectByKey } from '../projects/queries';
import { plan } from '../db/plan';
import { cachedAll } from '../db/cached';
import { type Member, membersOf, priorityRank, ticketRef, visibleProjectId } from './sql';
import { commentsOf, isWatching, ticketRowOf } from './queries';
import type { TicketInput } from './schemas';
import { dueRank } from '../lib/due-dates';

/**
 * The SET clause that moves one ticket between the per-status counters: +1 for `to`, −1 for `from` (either may be
 * NULL, for a create or a delete). Runs on the projects row, so `from` may read the ticket's current status.
 */
function counterShift(from: SQL | null, to: Status | null) {
  const set: Partial<Record<(typeof STATUS_COUNTS)[Status], SQL>> = {};
  for (const status of STATUSES) {
    const column = projects[STATUS_COUNTS[status]];
    const plus = to === status ? sql` + 1` : sql``;
    const minus = from ? sql` - (case when ${from} = ${status} then 1 else 0 end)` : sql``;
    if (to === status || from) set[STATUS_COUNTS[status]] = sql`${column}${plus}${minus}`;
  }
  return set;
}

function ticketStatusOnProjectRow(number: number): SQL {
  return sql`(select ${tickets.status} from ${tickets} where ${tickets.projectId} = ${projects.id} and ${tickets.number} = ${number})`;
}

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
function assigneeAllowed(assignee: unknown, projectId: SQL | typeof projects.id): SQL {
  return sql`(${assignee} is null or ${isMemberOf(sql`${assignee}`, projectId)})`;
}

interface NewTicket {
  key: string;
  id: string;
  formKey: string;
  now: number;
  title: string;
  description: string;
  descriptionHtml: string;
  status: Status;
  priority: Priority;
  priorityRank: number;
  assignee: string | null;
  dueDate: string | null;
  dueRank: number;
  mentions: string[];
}

/**
 * The writes of a create, built once per status and number of mentions (db/cached): claim the form's key, bump the
 * project's number and status counter, insert the ticket, its watchers and its notices, and read what an earlier
 * submit of the same form made.
 */
const createStatements = cachedAll(
  'ticket.create',
  (db, me, v: NewTicket) => {
    const allowed = and(
      eq(projects.key, v.key),
      canSeeProject(me, projects.id),
      assigneeAllowed(v.assignee, projects.id),
      mentionsAllowed(v.mentions, projects.id),
    );
    const made = sql`(select ${tickets.id} from ${tickets} where ${tickets.id} = ${v.id})`;
    const claimed = and(allowed, claimedBy(me, v.formKey, v.id));
    return [
      claimFormKey(db, me, { key: v.formKey, result: v.id, now: v.now }, projects, allowed),
      db
        .update(projects)
        .set({ nextTicketNumber: sql`${projects.nextTicketNumber} + 1`, ...counterShift(null, v.status) })
        .where(claimed),
      db
        .insert(tickets)
        .select(
          db
            .select({
              id: sql<string>`${v.id}`.as('id'),
              projectId: projects.id,
              number: sql<number>`${projects.nextTicketNumber} - 1`.as('number'),
              reporterId: sql<string>`${me}`.as('reporter_id'),
              assigneeId: sql<string | null>`${v.assignee}`.as('assignee_id'),
              title: sql<string>`${v.title}`.as('title'),
              description: sql<string>`${v.description}`.as('description'),
              status: sql<Status>`${v.status}`.as('status'),
              priority: sql<Priority>`${v.priority}`.as('priority'),
              priorityRank: sql<number>`${v.priorityRank}`.as('priority_rank'),
              createdAt: sql<number>`${v.now}`.as('created_at'),
              updatedAt: sql<number>`${v.now}`.as('updated_at'),
              version: sql<number>`1`.as('version'),
              descriptionHtml: sql<string>`${v.descriptionHtml}`.as('description_html'),
              renderedVersion: sql<number>`${MARKDOWN_VERSION}`.as('rendered_version'),
              dueDate: sql<string | null>`${v.dueDate}`.as('due_date'),
              dueRank: sql<number>`${v.dueRank}`.as('due_rank'),
            })
            .from(projects)
            .where(claimed),
        )
        .returning({ id: tickets.id, number: tickets.number }),
      watch(db, me, made, v.now),
      watch(db, sql`${v.assignee}`, made, v.now),
      watchAll(db, v.mentions, made, v.now),
      notifyNewTicket(db, me, v.id, { assignee: v.assignee, mentions: v.mentions, now: v.now }),
      db
        .select({ id: tickets.id, number: tickets.number })
        .from(tickets)
        .where(
          and(
            eq(tickets.id, dialectOf(db).textAsId(resultOfKey(me, v.formKey))),
            eq(tickets.projectId, visibleProjectId(me, v.key)),
          ),
        ),
    ] as const;
  },
  { form: ['status'] },
);

/**
 * Creates a ticket: claims the form's key, bumps the project's number and status counter, then inserts the ticket
 * numbered from it, all on the same condition (visible project, assignee a member, key new), so either all happen or
 * none does. A repeat of the same form answers with the ticket the first submit made.
 */
export function createTicket(key: string, input: TicketInput, now: number) {
  const mentions = extractMentions(input.description);
  const values: NewTicket = {
    key,
    id: crypto.randomUUID(),
    formKey: formKeyOf(input.form_key),
    now,
    title: input.title,
    description: input.description,
    descriptionHtml: markdownToHtml(input.description),
    status: input.status,
    priority: input.priority,
    priorityRank: priorityRank(input.priority),
    assignee: input.assignee,
    dueDate: input.due_date ?? null,
    dueRank: dueRank(input.due_date ?? null),
    mentions,
  };
  return plan(
    (db, me) =>
      [...createStatements(db, me, values), visibleProjectByKey(db, me, key), membersOf(db, me, key)] as const,
    ([, , inserted, , , , , earlier, projectRows, members]) => {
      const created = inserted[0] ?? earlier[0];
      if (created && projectRows[0]) {
        return { ok: true as const, id: created.id, number: created.number, project: projectRows[0] };
      }
      const project = projectRows[0];
      const strangers = unknownMentions(mentions, members, '');
      if (project && strangers.length) return { ok: false as const, reason: 'mention' as const, project, members };
      return failure(project, true, members);
    },
  );
}

const TRACKED = ['title', 'status', 'priority', 'assignee', 'description', 'dueDate'] as const;
type Tracked = (typeof TRACKED)[number];
const TRACKED_COLUMNS = {
  title: tickets.title,
  status: tickets.status,
  priority: tickets.priority,
  assignee: tickets.assigneeId,
  description: tickets.description,
  dueDate: tickets.dueDate,
} as const;
/** What the activity calls each field (`ticket_events.field`). */
const EVENT_FIELDS: Record<Tracked, string> = {
  title: 'title',
  status: 'status',
  priority: 'priority',
  assignee: 'assignee',
  description: 'description',
  dueDate: 'due_date',
};

/**
 * An activity row for `field`, written only when its value really changes (so before the ticket's UPDATE). A
 * description event keeps only the previous text: the new one is the ticket's, or the next event's previous text.
 */
function recordChange(db: Db, me: SQL, where: SQL, field: Tracked, to: string | null, now: number, id: string) {
  const column = TRACKED_COLUMNS[field];
  return db.insert(ticketEvents).select(
    db
      .select({
        id: sql<string>`${id}`.as('id'),
        ticketId: tickets.id,
        actorId: sql<string>`${me}`.as('actor_id'),
        field: sql<string>`${EVENT_FIELDS[field]}`.as('field'),
        fromValue: sql<string | null>`${column}`.as('from_value'),
        toValue: sql<string | null>`${field === 'description' ? null : to}`.as('to_value'),
        createdAt: sql<number>`${now}`.as('created_at'),
      })
      .from(tickets)
      .where(and(where, sql`${column} is distinct from ${to}`)),
  );
}

/** Moves the ticket between status counters when its status changes; runs before the ticket's own UPDATE. */
function shiftCounters(db: Db, me: SQL, key: string, number: number, status: Status, extra: SQL = sql`true`) {
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

/** The ticket as it is now, when a write was refused because it changed in between. */
export interface CurrentTicket {
  version: number;
  title: string;
  description: string;
  status: Status;
  priority: Priority;
  assigneeId: string | null;
  dueDate: string | null;
  /** Who made the latest recorded change, when there is one. */
  changedBy: string | null;
}

/** The fields a change may set; a field left out keeps its value (`dueDate` null: no due date). */
export type FieldChanges = Partial<Pick<TicketInput, Exclude<Tracked, 'dueDate'>>> & { dueDate?: string | null };

export interface WriteOptions {
  now: number;
  /** The ticket's version the change was made from: a newer one refuses the write (409). None: no check. */
  version?: number | undefined;
}

/** The ticket's fields and version, with the name of whoever made its latest recorded change. */
function currentTicket(db: Db, me: SQL, key: string, number: number) {
  const latest = db
    .select({ actorId: ticketEvents.actorId })
    .from(ticketEvents)
    .where(eq(ticketEvents.ticketId, tickets.id))
    .orderBy(desc(ticketEvents.createdAt))
    .limit(1);
  return db
    .select({
      version: tickets.version,
      title: tickets.title,
      description: tickets.description,
      status: tickets.status,
      priority: tickets.priority,
      assigneeId: tickets.assigneeId,
      dueDate: tickets.dueDate,
      changedBy: sql<string | null>`(select ${users.name} from ${users} where ${users.id} = (${latest}))`,
    })
    .from(tickets)
    .where(ticketRef(me, key, number));
}

/**
 * The one plan for changing a ticket's fields: the edit form (every field), the board's move (the status) and the
 * in-place changes from the ticket modal and list rows (status, priority, assignee). Activity rows for the fields
 * that really change, the status counters, the ticket itself and its version and, when the status changes, the
 * notifications, all on the same condition, so either all happen or none does. The condition includes
 * `version = ?` when the change carries the version it was made from; a read in the same batch then tells a conflict
 * (the ticket is there, at another version) from a missing ticket or a refused assignee. The current assignee may
 * stay even if they left the project; a new one must be a member. `updated_at` and the version move only when a value
 * does. The ticket as a list row and the members are read back in the batch.
 */
export function updateTicketFields(key: string, number: number, changes: FieldChanges, opts: WriteOptions) {
  const { now, version } = opts;
  const eventIds = TRACKED.map(() => crypto.randomUUID());
  const descriptionEvent = eventIds[4]!;
  const mentions = changes.description === undefined ? [] : extractMentions(changes.description);
  const given = TRACKED.filter((field) => changes[field] !== undefined);
  const descriptionHtml = changes.description === undefined ? null : markdownToHtml(changes.description);
  return plan(
    (db, me) => {
      const assignee = changes.assignee;
      const keepsOrMember =
        assignee === undefined || assignee === null
          ? sql`true`
          : or(eq(tickets.assigneeId, assignee), isMemberOf(assignee, tickets.projectId))!;
      const atVersion = version === undefined ? sql`true` : eq(tickets.version, version);
      const guard = and(keepsOrMember, atVersion, mentionsAllowed(mentions, tickets.projectId, tickets.description))!;
      const ticketOfEvent = (eventId: string) =>
        sql`(select ${ticketEvents.ticketId} from ${ticketEvents} where ${ticketEvents.id} = ${eventId})`;
      const where = and(ticketRef(me, key, number), guard)!;
      // A field left out gets no event: the same statement, never true (the batch keeps one shape).
      const change = (field: Tracked, i: number) =>
        recordChange(
          db,
          me,
          changes[field] === undefined ? and(where, sql`false`)! : where,
          field,
          changes[field] ?? null,
          now,
          eventIds[i]!,
        );
      const differs = given.map((field) => sql`${TRACKED_COLUMNS[field]} is distinct from ${changes[field] ?? null}`);
      const changed = differs.length ? sql.join(differs, sql` or `) : sql`false`;
      const set: SQLiteUpdateSetSource<typeof tickets> = {
        updatedAt: sql`case when ${changed} then ${now} else ${tickets.updatedAt} end`,
        version: sql`case when ${changed} then ${tickets.version} + 1 else ${tickets.version} end`,
      };
      if (changes.title !== undefined) set.title = changes.title;
      if (changes.description !== undefined) {
        set.description = changes.description;
        set.descriptionHtml = descriptionHtml;
        set.renderedVersion = MARKDOWN_VERSION;
      }
      if (changes.status !== undefined) set.status = changes.status;
      if (changes.priority !== undefined) {
        set.priority = changes.priority;
        set.priorityRank = priorityRank(changes.priority);
      }
      if (changes.assignee !== undefined) set.assigneeId = changes.assignee;
      if (changes.dueDate !== undefined) {
        set.dueDate = changes.dueDate;
        set.dueRank = dueRank(changes.dueDate);
      }
      return [
        // First, so that on PostgreSQL a concurrent write to the same ticket waits here for the row lock, and then
        // finds the version it was made from gone (every later statement reads what that write committed).
        db
          .update(tickets)
          .set({ version: sql`${tickets.version}` })
          .where(where),
        change('title', 0),
        change('status', 1),
        change('priority', 2),
        change('assignee', 3),
        change('description', 4),
        change('dueDate', 5),
        // No status given: the counters stay (the condition is false).
        shiftCounters(db, me, key, number, changes.status ?? 'OPEN', changes.status ? guard : sql`false`),
        db.update(tickets).set(set).where(where).returning({ id: tickets.id, version: tickets.version }),
        watchAssigned(db, eventIds[3]!, now),
        watchAll(db, mentions, ticketOfEvent(descriptionEvent), now),
        notifyFieldChanges(db, me, eventIds, { now, mentionEvent: descriptionEvent, mentions }),
        planEmails(db, eventIds, 'status', now),
        plannedEmails(db, eventIds),
        visibleProjectByKey(db, me, key),
        ticketRowOf(db, me, key, number),
        membersOf(db, me, key),
        currentTicket(db, me, key, number),
      ] as const;
    },
    ([, , , , , , , , updated, , , , , deliveries, projectRows, rows, members, existing]) => {
      const project = projectRows[0];
      if (updated[0] && project && rows[0]) {
        return {
          ok: true as const,
          project,
          ticket: rows[0],
          version: updated[0].version,
          members,
          messages: activityMessages(deliveries, 'status'),
        };
      }
      const current = existing[0];
      if (project && current && rows[0] && version !== undefined && current.version !== version) {
        return { ok: false as const, reason: 'conflict' as const, project, members, current, ticket: rows[0] };
      }
      if (project && current && rows[0] && unknownMentions(mentions, members, current.description).length) {
        return { ok: false as const, reason: 'mention' as const, project, members, ticket: rows[0] };
      }
      const refused = failure(project, rows.length > 0, members);
      // An assignee refused: the ticket as it stays, for the answer that shows the message next to the field.
      return refused.reason === 'assignee' ? { ...refused, ticket: rows[0]! } : refused;
    },
  );
}

/** The edit form: every field, checked against the version the form was rendered from. */
export function updateTicket(key: string, number: number, input: TicketInput, now: number) {
  const { title, description, status, priority, assignee, due_date: dueDate, version } = input;
  return updateTicketFields(key, number, { title, description, status, priority, assignee, dueDate }, { now, version });
}

/** The board's move (and its "Move to…" control), checked when the page knew the version. */
export function changeTicketStatus(key: string, number: number, status: Status, now: number, version?: number) {
  return updateTicketFields(key, number, { status }, { now, version });
}

/** Adds a comment, bumps the ticket's updated_at and plans the notifications; reads back the refreshed comments. */
export function addComment(
  key: string,
  number: number,
  input: { body: string; form_key?: string | undefined },
  now: number,
) {
  const { body } = input;
  const bodyHtml = markdownToHtml(body, COMMENT_MAX);
  const mentions = extractMentions(body);
  const commentId = crypto.randomUUID();
  const formKey = formKeyOf(input.form_key);
  const ticketOfComment = sql`(select ${comments.ticketId} from ${comments} where ${comments.id} = ${commentId})`;
  return plan(
    (db, me) =>
      [
        claimFormKey(db, me, { key: formKey, result: commentId, now }, tickets, ticketRef(me, key, number)),
        db.insert(comments).select(
          db
            .select({
              id: sql<string>`${commentId}`.as('id'),
              ticketId: tickets.id,
              authorId: sql<string>`${me}`.as('author_id'),
              body: sql<string>`${body}`.as('body'),
              createdAt: sql<number>`${now}`.as('created_at'),
              bodyHtml: sql<string>`${bodyHtml}`.as('body_html'),
              renderedVersion: sql<number>`${MARKDOWN_VERSION}`.as('rendered_version'),
            })
            .from(tickets)
            .where(
              and(
                ticketRef(me, key, number),
                mentionsAllowed(mentions, tickets.projectId),
                claimedBy(me, formKey, commentId),
              ),
            ),
        ),
        db.update(tickets).set({ updatedAt: now }).where(eq(tickets.id, ticketOfComment)),
        watch(db, me, ticketOfComment, now),
        watchAll(db, mentions, ticketOfComment, now),
        notifyComment(db, me, commentId, { now, mentions }),
        planEmails(db, [commentId], 'comment', now),
        plannedEmails(db, [commentId]),
        commentsOf(db, me, key, number),
        readFormKey(db, me, formKey),
        membersOf(db, me, key),
      ] as const,
    ([, , , , , , , deliveries, commentRows, keyRows, members]) => {
      // A repeat of the same form finds the first submit's comment and answers as that submit did.
      const madeId = keyRows[0]?.result;
      if (!commentRows.some((c) => c.id === madeId)) {
        if (unknownMentions(mentions, members, '').length) {
          return { ok: false as const, reason: 'mention' as const, comments: commentRows.reverse(), members };
        }
        return { ok: false as const, reason: 'ticket' as const };
      }
      return {
        ok: true as const,
        comments: commentRows.reverse(),
        members,
        messages: activityMessages(deliveries, 'comment'),
      };
    },
  );
}

/** The mentioned people who are not members now and were not already mentioned in `kept` (the text replaced). */
function unknownMentions(mentions: readonly string[], members: readonly Member[], kept: string): string[] {
  const ids = new Set(members.map((m) => m.id.toLowerCase()));
  return mentions.filter((id) => !ids.has(id) && !kept.includes(`(${id})`));
}

/** Deletes a ticket (a manager or its reporter) and takes it off its status counter, in one batch. */
export function deleteTicket(key: string, number: number) {
  return plan(
    (db, me) => {
      const mayDelete = meCanDeleteTicket(me, tickets.projectId, tickets.reporterId);
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

/** Starts or stops watching a ticket I can see; doing it twice changes nothing more. Answers the state now. */
export function setWatching(key: string, number: number, on: boolean, now: number) {
  return plan(
    (db, me) => {
      const mine = sql`(select ${tickets.id} from ${tickets} where ${ticketRef(me, key, number)})`;
      return [
        on ? watch(db, me, mine, now) : unwatch(db, me, mine),
        db
          .select({ watching: isWatching(me) })
          .from(tickets)
          .where(ticketRef(me, key, number)),
      ] as const;
    },
    ([, rows]) =>
      rows[0] ? { ok: true as const, watching: Boolean(Number(rows[0].watching)) } : { ok: false as const },
  );
}
