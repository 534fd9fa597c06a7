/**
 * @module tickets/reminders — the daily due-date reminders (a job of the scheduled registry). The assignee of each
 * ticket that is not done and is due by tomorrow (overdue ones included) gets one reminder a day per ticket: an email
 * when they chose "email at once" for reminders, otherwise an inbox row of kind `reminder` (which the digest lists).
 *
 * Idempotent and resumable through `due_reminders`, keyed (ticket, day): a round walks the next tickets in due order
 * (`tickets_due_open_idx`), claims each eligible one for today with `INSERT … ON CONFLICT DO NOTHING`, and plans an
 * email only for the rows this round inserted (its `run_id`). A second run the same day inserts nothing; a run cut
 * short is continued by the next one, which skips what was already claimed. Each round is one batch of a few
 * statements binding a handful of values (D1 allows 100), at most `batchSize` tickets; a run stops after `maxRounds`.
 * The emails' messages go to the queue after the batch commits; one lost in between is sent by the outbox sweep.
 */
import { and, asc, eq, inArray, isNull, lt, lte, not, sql } from 'drizzle-orm';
import { userCanSeeProject } from '../auth/permissions';
import { dialectOf } from '../db/dialects';
import type { Db } from '../db/database';
import { insertSelectFields } from '../db/insert-select';
import { plan, runPlan } from '../db/plan';
import { dueReminders, inboxItems, mailDeliveries, tickets, users } from '../db/schema';
import { wantsEmailNow } from '../notifications/preferences';
import { addDays, dueRank, utcDay } from '../lib/due-dates';
import type { MailMessage } from '../mail/messages';
import { deliveryFields, enqueueMail, storedMessages } from '../mail/producer';
import type { JobContext } from '../scheduled/job';

export const REMINDER_BATCH = 50;
export const REMINDER_MAX_ROUNDS = 20;
/** Reminder records older than this many days are deleted (only today's and yesterday's matter). */
export const REMINDER_KEEP_DAYS = 7;

export interface ReminderOptions {
  batchSize?: number;
  maxRounds?: number;
}

/** Where a run has got to in due order: the last ticket walked. */
interface Position {
  rank: number;
  id: string;
}

/**
 * One round: the next `batchSize` open tickets due by tomorrow after `after`, the reminders claimed for those whose
 * assignee may be told, their delivery rows, and a bounded delete of old reminder records.
 */
export function remindRound(day: string, now: number, after: Position | null, batchSize: number) {
  const runId = crypto.randomUUID();
  const byTomorrow = dueRank(addDays(day, 1));
  const oldest = addDays(day, -REMINDER_KEEP_DAYS);
  return plan(
    (db: Db) => {
      const walked = and(
        sql`${tickets.status} <> 'DONE'`,
        lte(tickets.dueRank, byTomorrow),
        after ? sql`(${tickets.dueRank}, ${tickets.id}) > (${after.rank}, ${after.id})` : undefined,
      );
      const page = db
        .select({ id: tickets.id })
        .from(tickets)
        .where(walked)
        .orderBy(asc(tickets.dueRank), asc(tickets.id))
        .limit(batchSize);
      const { randomUuid } = dialectOf(db);
      return [
        db
          .select({ id: tickets.id, rank: tickets.dueRank })
          .from(tickets)
          .where(walked)
          .orderBy(asc(tickets.dueRank), asc(tickets.id))
          .limit(batchSize),
        db
          .insert(dueReminders)
          .select(
            db
              .select(
                insertSelectFields(dueReminders, {
                  ticketId: tickets.id,
                  day,
                  recipientId: tickets.assigneeId,
                  runId,
                  createdAt: now,
                }),
              )
              .from(tickets)
              .innerJoin(users, eq(users.id, tickets.assigneeId))
              .where(
                and(inArray(tickets.id, page), isNull(users.disabledAt), userCanSeeProject(tickets.projectId)),
              ) as never,
          )
          .onConflictDoNothing(),
        db
          .insert(mailDeliveries)
          .select(
            db
              .select(
                deliveryFields(db, {
                  kind: 'due_reminder',
                  refId: dueReminders.ticketId,
                  recipient: users.email,
                  now,
                  message: { type: 'due_reminder', id: dueReminders.ticketId, day, recipientId: users.id },
                }),
              )
              .from(dueReminders)
              .innerJoin(users, eq(users.id, dueReminders.recipientId))
              .where(and(eq(dueReminders.runId, runId), wantsEmailNow(sql`'reminder'`))) as never,
          )
          .returning({ id: mailDeliveries.id, message: mailDeliveries.message }),
        // Those who chose the digest or the inbox for reminders get an inbox row instead (the digest reads them).
        db
          .insert(inboxItems)
          .select(
            db
              .select(
                insertSelectFields(inboxItems, {
                  id: randomUuid(),
                  userId: users.id,
                  ticketId: dueReminders.ticketId,
                  actorId: null,
                  kind: 'reminder',
                  refId: randomUuid(),
                  createdAt: now,
                }),
              )
              .from(dueReminders)
              .innerJoin(users, eq(users.id, dueReminders.recipientId))
              .where(and(eq(dueReminders.runId, runId), not(wantsEmailNow(sql`'reminder'`)))) as never,
          )
          .onConflictDoNothing(),
        // Old records of a bounded set of tickets (a ticket has one a day at most, so this stays small).
        db
          .delete(dueReminders)
          .where(
            and(
              lt(dueReminders.day, oldest),
              inArray(
                dueReminders.ticketId,
                db
                  .select({ ticketId: dueReminders.ticketId })
                  .from(dueReminders)
                  .where(lt(dueReminders.day, oldest))
                  .limit(batchSize),
              ),
            ),
          ),
      ] as const;
    },
    ([walkedRows, , deliveries]) => {
      const last = walkedRows[walkedRows.length - 1];
      return {
        walked: walkedRows.length,
        next: last ? { rank: last.rank, id: last.id } : null,
        messages: storedMessages(deliveries),
      };
    },
  );
}

interface RoundResult {
  walked: number;
  next: Position | null;
  messages: MailMessage[];
}

export interface Reminded {
  /** Tickets looked at. */
  tickets: number;
  /** Reminders planned (and their messages sent to the queue). */
  sent: number;
  /** True when the round bound stopped the run with tickets left for the next one. */
  more: boolean;
}

/** Plans and queues today's reminders (the UTC day of `now`), in bounded rounds. */
export async function sendDueReminders(
  { db, env, now }: Pick<JobContext, 'db' | 'env' | 'now'>,
  { batchSize = REMINDER_BATCH, maxRounds = REMINDER_MAX_ROUNDS }: ReminderOptions = {},
): Promise<Reminded> {
  const day = utcDay(now);
  const done: Reminded = { tickets: 0, sent: 0, more: false };
  let after: Position | null = null;
  for (let round = 0; round < maxRounds; round++) {
    const out: RoundResult = await runPlan(db, remindRound(day, now, after, batchSize));
    await enqueueMail(env, out.messages);
    done.tickets += out.walked;
    done.sent += out.messages.length;
    if (out.walked < batchSize) return done;
    after = out.next;
  }
  return { ...done, more: true };
}

/** The Cron Trigger's job (see scheduled/). */
export async function dueRemindersJob(ctx: JobContext, options?: ReminderOptions): Promise<string> {
  const r = await sendDueReminders(ctx, options);
  return `${r.sent} due-date reminders for ${r.tickets} tickets due by tomorrow${r.more ? '; more left for the next run' : ''}`;
}
