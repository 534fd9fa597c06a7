/**
 * @module notifications/digest — the daily digest job (scheduled registry, the daily trigger). Each person who chose
 * "daily digest" for some kind, is active and has not had today's digest (UTC day of the trigger) is visited once:
 * when they have unread inbox items of those kinds since their previous digest, one `digest` email is planned, and
 * `users.last_digest_at` is set to now either way. So a second run the same day finds nobody, and a run cut short is
 * continued by the next one. Each round is one batch over at most `batchSize` people, walked in primary-key order (a
 * team's people: a bounded table); a run stops after `maxRounds`. Messages go to the queue after the batch commits; one lost in
 * between is sent by the outbox sweep.
 */
import { and, asc, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db/database';
import { q } from '../db/insert-select';
import { plan, runPlan } from '../db/plan';
import { inboxItems, mailDeliveries, users } from '../db/schema';
import { deliveryFields, enqueueMail, storedMessages } from '../mail/producer';
import type { JobContext } from '../scheduled/job';
import { digestChosen, wantsDigest } from './preferences';

export const DIGEST_BATCH = 50;
export const DIGEST_MAX_ROUNDS = 20;

export interface DigestOptions {
  batchSize?: number;
  maxRounds?: number;
}

/** The start of the UTC day of `now`. */
function dayStart(now: number): number {
  return now - (now % 86_400_000);
}

/** One round: the next people due a digest, a delivery for those with something unread, and today marked on all. */
export function digestRound(now: number, batchSize: number) {
  const today = dayStart(now);
  return plan(
    (db: Db) => {
      const due = and(
        digestChosen,
        isNull(users.disabledAt),
        or(isNull(users.lastDigestAt), lt(users.lastDigestAt, today)),
      );
      const page = db.select({ id: users.id }).from(users).where(due).orderBy(asc(users.id)).limit(batchSize);
      const since = sql<number>`coalesce(${users.lastDigestAt}, 0)`;
      const unread = sql`exists (select 1 from ${inboxItems} where ${inboxItems.userId} = ${q(users.id)} and ${inboxItems.readAt} is null and ${inboxItems.createdAt} > ${since} and ${wantsDigest(inboxItems.kind)})`;
      return [
        db.select({ id: users.id }).from(users).where(due).orderBy(asc(users.id)).limit(batchSize),
        db
          .insert(mailDeliveries)
          .select(
            db
              .select(
                deliveryFields(db, {
                  kind: 'digest',
                  refId: users.id,
                  recipient: users.email,
                  now,
                  // The cast keeps `until` a JSON number in PostgreSQL, where a bare parameter becomes a string.
                  message: { type: 'digest', id: q(users.id), since, until: sql`cast(${now} as bigint)` },
                }),
              )
              .from(users)
              .where(and(inArray(users.id, page), unread)) as never,
          )
          .returning({ id: mailDeliveries.id, message: mailDeliveries.message }),
        db.update(users).set({ lastDigestAt: now }).where(inArray(users.id, page)),
      ] as const;
    },
    ([people, deliveries]) => ({
      people: people.length,
      messages: storedMessages(deliveries),
    }),
  );
}

export interface Digested {
  people: number;
  sent: number;
  more: boolean;
}

/** Plans and queues today's digests, in bounded rounds. */
export async function sendDigests(
  { db, env, now }: Pick<JobContext, 'db' | 'env' | 'now'>,
  { batchSize = DIGEST_BATCH, maxRounds = DIGEST_MAX_ROUNDS }: DigestOptions = {},
): Promise<Digested> {
  const done: Digested = { people: 0, sent: 0, more: false };
  for (let round = 0; round < maxRounds; round++) {
    const out = await runPlan(db, digestRound(now, batchSize));
    await enqueueMail(env, out.messages);
    done.people += out.people;
    done.sent += out.messages.length;
    if (out.people < batchSize) return done;
  }
  return { ...done, more: true };
}

/** The Cron Trigger's job (see scheduled/). */
export async function digestJob(ctx: JobContext, options?: DigestOptions): Promise<string> {
  const r = await sendDigests(ctx, options);
  return `${r.sent} digests for ${r.people} people${r.more ? '; more left for the next run' : ''}`;
}
