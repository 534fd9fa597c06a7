/**
 * @module notifications — the one rule for who hears about a change to a ticket, whatever screen made it: the
 * ticket's watchers, the person assigned or unassigned by it and the people it newly mentions — never its actor,
 * only while they are active and may still see the project. Each save is one or more `ticket_events` rows (one per
 * field) or one comment; it becomes at most one inbox row per person (written in the write's own batch, by
 * `INSERT … SELECT`, so nothing is read first), and the emails are made from those inbox rows by one function
 * (`planEmails`), so a per-person choice of delivery can filter that one statement.
 */
import { and, eq, inArray, isNull, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { isMemberOf, userCanSeeProject } from '../auth/permissions';
import type { Db } from '../db/client';
import { dialectOf } from '../db/dialects';
import { insertSelectFields, q } from '../db/insert-select';
import { comments, inboxItems, mailDeliveries, ticketEvents, tickets, ticketWatchers, users } from '../db/schema';
import type { MailMessage } from '../mail/messages';
import { FIELD_ORDER } from './fields';
import { wantsEmailNow } from './preferences';

export { extractMentions, MENTION_RE } from './mentions';

export type ActivityMessage = Extract<MailMessage, { type: 'ticket_activity' }>;

/** The columns of one inbox row for each person (`users`) a change reaches: a new id, made `now`. */
function inboxRow(
  db: Db,
  now: number,
  change: { ticketId: SQLWrapper; actorId: SQLWrapper; kind: SQL; refId: SQLWrapper },
) {
  return insertSelectFields(inboxItems, {
    id: dialectOf(db).randomUuid(),
    userId: users.id,
    createdAt: now,
    ...change,
  });
}

/**
 * SQL: the people chosen by `who` (a condition on `users`) watch the ticket `ticketId` from now on (nothing for those
 * who already do, or when `when` is false). A join, so drizzle qualifies every column of the subqueries.
 */
function watchers(db: Db, who: SQL, ticketId: SQLWrapper, now: number, when: SQL) {
  return db
    .insert(ticketWatchers)
    .select(
      db
        .select({
          ticketId: q(tickets.id).as('ticket_id'),
          userId: q(users.id).as('user_id'),
          createdAt: sql<number>`${now}`.as('created_at'),
        })
        .from(users)
        .innerJoin(tickets, eq(tickets.id, ticketId))
        .where(and(who, when)),
    )
    .onConflictDoNothing();
}

/** SQL: `userId` watches the ticket `ticketId` from now on (nothing when they already do, or `when` is false). */
export function watch(db: Db, userId: SQLWrapper, ticketId: SQLWrapper, now: number, when: SQL = sql`true`) {
  return watchers(db, eq(users.id, userId), ticketId, now, when);
}

/** SQL: every person in `ids` watches the ticket `ticketId` (mentioned people), when `when` holds. */
export function watchAll(db: Db, ids: readonly string[], ticketId: SQLWrapper, now: number, when: SQL = sql`true`) {
  return watchers(db, ids.length ? inArray(users.id, [...ids]) : sql`false`, ticketId, now, when);
}

/** SQL: the person an assignee change (`eventId`, when it was written) gave the ticket to watches it. */
export function watchAssigned(db: Db, eventId: string, now: number) {
  return db
    .insert(ticketWatchers)
    .select(
      db
        .select({
          ticketId: ticketEvents.ticketId,
          userId: sql<string>`${dialectOf(db).textAsId(ticketEvents.toValue)}`.as('user_id'),
          createdAt: sql<number>`${now}`.as('created_at'),
        })
        .from(ticketEvents)
        .where(and(eq(ticketEvents.id, eventId), sql`${ticketEvents.toValue} is not null`)),
    )
    .onConflictDoNothing();
}

/** Removes `me` from the ticket's watchers (a no-op when they were not watching). */
export function unwatch(db: Db, me: SQL, ticketId: SQLWrapper) {
  return db.delete(ticketWatchers).where(and(eq(ticketWatchers.ticketId, ticketId), eq(ticketWatchers.userId, me)));
}

/** SQL: `ids` are all members of `projectId`, or (already in `keptText`) were mentioned there before. */
export function mentionsAllowed(ids: readonly string[], projectId: SQLWrapper, keptText?: SQLWrapper): SQL {
  if (ids.length === 0) return sql`true`;
  return and(
    ...ids.map((id) =>
      keptText ? or(isMemberOf(id, projectId), sql`${keptText} like ${`%(${id})%`}`)! : isMemberOf(id, projectId),
    ),
  )!;
}

/**
 * The SQL that says whether the user of the `users` row in the query hears about a change on `ticketId` made by
 * `me`: active, may see the project now, not the actor, and a watcher or one of `also` (ids: assignee old and new,
 * mentioned people; NULL for none). One `IN` list, so the users are found by primary key, not by a scan.
 */
function hears(me: SQL, ticketId: SQLWrapper, also: readonly SQL[], projectId?: SQLWrapper): SQL {
  const projectOfTicket =
    projectId ?? sql`(select ${tickets.projectId} from ${tickets} where ${tickets.id} = ${ticketId})`;
  const extra = also.map((id) => sql` union select ${id}`);
  return and(
    sql`${users.id} in (select ${ticketWatchers.userId} from ${ticketWatchers} where ${ticketWatchers.ticketId} = ${ticketId}${sql.join(extra)})`,
    sql`${users.id} is distinct from ${me}`,
    isNull(users.disabledAt),
    userCanSeeProject(projectOfTicket),
  )!;
}

function mentioned(ids: readonly string[]): SQL {
  return ids.length ? inArray(users.id, [...ids]) : sql`false`;
}

/**
 * Inbox rows for the field changes `eventIds`, all made by one save: ONE row per person, however many fields the
 * save changed. The row points at the change that concerns the person most (a new mention in the description, then
 * being assigned, then unassigned, then the first field in `FIELD_ORDER`); the inbox and the email tell the save's
 * other changes beside it (they share ticket, actor and time). `mentionEvent` is the description's event: the people
 * it newly mentions (`mentions`, not in the previous text) hear about the save too.
 */
export function notifyFieldChanges(
  db: Db,
  me: SQL,
  eventIds: readonly string[],
  opts: { now: number; mentionEvent?: string; mentions?: readonly string[] },
) {
  const d = dialectOf(db);
  const ids = opts.mentions ?? [];
  const isAssignee = eq(ticketEvents.field, 'assignee');
  const wasAssignee = and(isAssignee, eq(users.id, d.textAsId(ticketEvents.fromValue)))!;
  const nowAssignee = and(isAssignee, eq(users.id, d.textAsId(ticketEvents.toValue)))!;
  const newMention = (id: string) =>
    sql`case when ${ticketEvents.id} = ${opts.mentionEvent ?? null} and coalesce(${ticketEvents.fromValue}, '') not like ${`%(${id})%`} then ${d.textAsId(sql`${id}`)} end`;
  const candidates = [
    sql`case when ${isAssignee} then ${d.textAsId(ticketEvents.fromValue)} end`,
    sql`case when ${isAssignee} then ${d.textAsId(ticketEvents.toValue)} end`,
    ...(opts.mentionEvent ? ids.map(newMention) : []),
  ];
  const newlyMentioned = opts.mentionEvent
    ? and(
        eq(ticketEvents.id, opts.mentionEvent),
        mentioned(ids),
        sql`coalesce(${ticketEvents.fromValue}, '') not like '%(' || ${q(users.id)} || ')%'`,
      )!
    : sql`false`;
  // Each (change, person) pair ranks as kind digit, field digit, then the change's id; the least one per person wins.
  const fieldRank = sql.join(
    FIELD_ORDER.map((field, i) => sql` when ${field} then '${sql.raw(String(i))}'`),
    sql``,
  );
  const rank = sql`(case when ${newlyMentioned} then '1' when ${nowAssignee} then '2' when ${wasAssignee} then '3' else '4' end || case ${ticketEvents.field}${fieldRank} else '9' end || ${ticketEvents.id})`;
  const lead = sql`min(${rank})`;
  return db
    .insert(inboxItems)
    .select(
      db
        .select(
          inboxRow(db, opts.now, {
            ticketId: ticketEvents.ticketId,
            actorId: ticketEvents.actorId,
            kind: sql`case substr(${lead}, 1, 1) when '1' then 'mention' when '2' then 'assigned' when '3' then 'unassigned' else 'change' end`,
            refId: d.textAsId(sql`substr(${lead}, 3)`),
          }),
        )
        .from(ticketEvents)
        .innerJoin(users, hears(me, ticketEvents.ticketId, candidates))
        .where(inArray(ticketEvents.id, [...eventIds]))
        .groupBy(users.id, ticketEvents.ticketId, ticketEvents.actorId)
        .getSQL(),
    )
    .onConflictDoNothing();
}

/**
 * Inbox rows for a new ticket `ticketId` (when it was made): its assignee and the people its description mentions.
 * The ticket itself is the change (`ref_id`); nobody else watches it yet.
 */
export function notifyNewTicket(
  db: Db,
  me: SQL,
  ticketId: string,
  opts: { now: number; assignee: string | null; mentions?: readonly string[] },
) {
  const ids = opts.mentions ?? [];
  const told = [...new Set([...(opts.assignee === null ? [] : [opts.assignee]), ...ids])];
  return db
    .insert(inboxItems)
    .select(
      db
        .select(
          insertSelectFields(inboxItems, {
            id: dialectOf(db).randomUuid(),
            userId: users.id,
            ticketId: tickets.id,
            actorId: tickets.reporterId,
            kind: sql`case when ${mentioned(ids)} then 'mention' else 'assigned' end`,
            refId: tickets.id,
            createdAt: opts.now,
          }),
        )
        // Driven by the people told (by primary key), not by a scan of every user.
        .from(users)
        .innerJoin(tickets, eq(tickets.id, ticketId))
        .where(
          hears(
            me,
            tickets.id,
            told.map((id) => dialectOf(db).textAsId(sql`${id}`)),
            tickets.projectId,
          ),
        )
        .getSQL(),
    )
    .onConflictDoNothing();
}

/** Inbox rows for a new comment: the watchers (the author now among them, but never told) and the people it mentions. */
export function notifyComment(db: Db, me: SQL, commentId: string, opts: { now: number; mentions?: readonly string[] }) {
  const d = dialectOf(db);
  const ids = opts.mentions ?? [];
  return db
    .insert(inboxItems)
    .select(
      db
        .select(
          inboxRow(db, opts.now, {
            ticketId: comments.ticketId,
            actorId: comments.authorId,
            kind: sql`case when ${mentioned(ids)} then 'mention' else 'comment' end`,
            refId: comments.id,
          }),
        )
        .from(comments)
        .innerJoin(
          users,
          hears(
            me,
            comments.ticketId,
            ids.map((id) => d.textAsId(sql`${id}`)),
          ),
        )
        .where(eq(comments.id, commentId))
        .getSQL(),
    )
    .onConflictDoNothing();
}

/**
 * One `mail_deliveries` row per inbox row of the changes `refIds` whose person wants an email at once for its kind
 * (notifications/preferences): every email a change sends is made here, from the same recipients as the inbox. `kind` names what the consumer loads (`status`: a
 * ticket_events row, any field; `comment`: a comment).
 */
export function planEmails(db: Db, refIds: readonly string[], kind: ActivityMessage['kind'], now: number) {
  const d = dialectOf(db);
  return db.insert(mailDeliveries).select(
    db
      .select(
        insertSelectFields(mailDeliveries, {
          id: d.randomUuid(),
          kind: 'ticket_activity',
          refId: inboxItems.refId,
          recipient: users.email,
          status: 'QUEUED',
          createdAt: now,
          // The message the outbox sweep would send again (see mail/producer's deliveryMessage).
          message: d.jsonObject({ type: 'ticket_activity', id: q(inboxItems.refId), kind, recipientId: users.id }),
        }),
      )
      .from(inboxItems)
      .innerJoin(users, eq(users.id, inboxItems.userId))
      .where(and(inArray(inboxItems.refId, [...refIds]), wantsEmailNow(inboxItems.kind)))
      .getSQL(),
  );
}

/** The deliveries `planEmails` made for `refIds`, read back in the same batch to send their queue messages. */
export function plannedEmails(db: Db, refIds: readonly string[]) {
  return db
    .select({
      deliveryId: sql<string>`${mailDeliveries.id}`.as('delivery_id'),
      refId: sql<string>`${mailDeliveries.refId}`.as('ref_id'),
      recipientId: sql<string>`${users.id}`.as('recipient_id'),
    })
    .from(mailDeliveries)
    .innerJoin(users, eq(users.email, mailDeliveries.recipient))
    .where(and(inArray(mailDeliveries.refId, [...refIds]), eq(mailDeliveries.kind, 'ticket_activity')));
}

export function activityMessages(
  rows: readonly { deliveryId: string; refId: string; recipientId: string }[],
  kind: ActivityMessage['kind'],
): ActivityMessage[] {
  return rows.map((r) => ({
    type: 'ticket_activity',
    id: r.refId,
    kind,
    recipientId: r.recipientId,
    deliveryId: r.deliveryId,
  }));
}
