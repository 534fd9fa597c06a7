/**
 * @module mail/sweep — the transactional outbox's safety net. A delivery row commits with the domain change and its
 * queue message is sent afterwards; if the Worker dies (or the queue refuses) in between, the row would wait forever.
 * The sweep, run by the Cron Trigger, finds rows that were never attempted well after they were written and sends
 * their message again, in bounded batches. The consumer's idempotency (a delivery is sent only while QUEUED, with its
 * id as the provider's idempotency key) makes a late original message and a swept one send one email.
 */
import { and, asc, eq, inArray, isNotNull, isNull, lte, or } from 'drizzle-orm';
import type { Db } from '../db/database';
import { mailDeliveries } from '../db/schema';
import type { Env } from '../env';
import type { JobContext } from '../scheduled/job';
import { enqueueMail, storedMessages } from './producer';

/** A message normally reaches the consumer within seconds; only rows this much older are taken for lost. */
export const SWEEP_AFTER_MS = 10 * 60 * 1000;
export const SWEEP_BATCH = 50;
/** At most this many batches per run; what is left waits for the next run. */
export const SWEEP_MAX_BATCHES = 10;

/**
 * Claims one batch (marks it swept now, so the next run leaves it alone for SWEEP_AFTER_MS) and returns its rows.
 * Claiming first means a second sweep running at the same time takes other rows.
 */
function claimBatch(db: Db, now: number) {
  const d = mailDeliveries;
  const due = now - SWEEP_AFTER_MS;
  const lost = db
    .select({ id: d.id })
    .from(d)
    .where(
      and(
        eq(d.status, 'QUEUED'),
        lte(d.createdAt, due),
        eq(d.attempts, 0),
        isNotNull(d.message),
        or(isNull(d.sweptAt), lte(d.sweptAt, due)),
      ),
    )
    .orderBy(asc(d.createdAt))
    .limit(SWEEP_BATCH);
  return db.update(d).set({ sweptAt: now }).where(inArray(d.id, lost)).returning({ id: d.id, message: d.message });
}

/** Sends the messages of deliveries that never reached the queue; returns how many were sent. */
export async function sweepOutbox(db: Db, env: Pick<Env, 'MAIL_QUEUE'>, now: number): Promise<number> {
  let sent = 0;
  for (let i = 0; i < SWEEP_MAX_BATCHES; i++) {
    const rows = await claimBatch(db, now);
    const messages = storedMessages(rows);
    if (messages.length < rows.length) console.error(`[mail] sweep: ${rows.length - messages.length} unreadable rows`);
    await enqueueMail(env, messages);
    sent += messages.length;
    if (rows.length < SWEEP_BATCH) break;
  }
  if (sent > 0) console.warn(`[mail] sweep: sent ${sent} message${sent === 1 ? '' : 's'} that never reached the queue`);
  return sent;
}

/** The Cron Trigger's job (see scheduled/). */
export async function sweepOutboxJob({ db, env, now }: JobContext): Promise<string> {
  return `sent ${await sweepOutbox(db, env, now)} lost messages again`;
}
