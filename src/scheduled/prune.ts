/**
 * @module scheduled/prune — deletes what nothing needs any more: ended sessions, used or expired password-reset
 * links, and the text of old emails in the outbox. In bounded rounds: each statement touches at most `batchSize`
 * rows and binds a handful of values (far under D1's 100), and a run stops after `maxRounds`. Every condition is
 * on the rows' own state, so a run that was cut short or stopped at its bound is simply continued by the next one.
 */
import { and, inArray, isNotNull, lt, lte, or, type SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { sessionEnded } from '../auth/sessions';
import type { Db } from '../db/database';
import { plan, runPlan } from '../db/plan';
import { mailDeliveries, passwordResets, sessions } from '../db/schema';
import type { JobContext } from './job';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface PruneOptions {
  batchSize?: number;
  maxRounds?: number;
}

export interface Pruned {
  sessions: number;
  passwordResets: number;
  outboxBodies: number;
  /** True when a bound stopped the run with work left for the next one. */
  more: boolean;
}

/** The ids of at most `limit` rows matching `where`: the bounded set one statement touches. */
function some(db: Db, table: SQLiteTable, id: SQLiteColumn, where: SQL, limit: number) {
  return inArray(id, db.select({ id }).from(table).where(where).limit(limit));
}

/**
 * One bounded round: ended sessions, used or expired reset links, and the text of emails older than `bodyCutoff`, at
 * most `batchSize` of each, through the indexes the schema keeps for them.
 */
export function pruneRound(now: number, bodyCutoff: number, batchSize: number) {
  return plan(
    (db) =>
      [
        db
          .delete(sessions)
          .where(some(db, sessions, sessions.id, sessionEnded(now), batchSize))
          .returning({ id: sessions.id }),
        db
          .delete(passwordResets)
          .where(
            some(
              db,
              passwordResets,
              passwordResets.id,
              // Used or expired by now: two ranges, so each side of the OR has its index (an IS NOT NULL would scan).
              or(lte(passwordResets.usedAt, now), lte(passwordResets.expiresAt, now))!,
              batchSize,
            ),
          )
          .returning({ id: passwordResets.id }),
        db
          .update(mailDeliveries)
          .set({ textBody: null })
          .where(
            some(
              db,
              mailDeliveries,
              mailDeliveries.id,
              and(lt(mailDeliveries.createdAt, bodyCutoff), isNotNull(mailDeliveries.textBody))!,
              batchSize,
            ),
          )
          .returning({ id: mailDeliveries.id }),
      ] as const,
    ([endedSessions, deadResets, clearedBodies]) => ({
      sessions: endedSessions.length,
      passwordResets: deadResets.length,
      outboxBodies: clearedBodies.length,
    }),
  );
}

export async function prune(
  { db, config, now }: JobContext,
  { batchSize = 500, maxRounds = 20 }: PruneOptions = {},
): Promise<Pruned> {
  // An email's text holds join and reset links; once every link it could hold has expired, it is only a liability.
  const bodyCutoff = now - config.INVITE_TTL_DAYS * DAY_MS;
  const pruned: Pruned = { sessions: 0, passwordResets: 0, outboxBodies: 0, more: false };
  for (let round = 0; round < maxRounds; round++) {
    const done = await runPlan(db, pruneRound(now, bodyCutoff, batchSize));
    pruned.sessions += done.sessions;
    pruned.passwordResets += done.passwordResets;
    pruned.outboxBodies += done.outboxBodies;
    if (Math.max(done.sessions, done.passwordResets, done.outboxBodies) < batchSize) return pruned;
  }
  return { ...pruned, more: true };
}

export async function pruneJob(ctx: JobContext, options?: PruneOptions): Promise<string> {
  const p = await prune(ctx, options);
  return `${p.sessions} sessions, ${p.passwordResets} password-reset links, ${p.outboxBodies} outbox bodies${p.more ? '; more left for the next run' : ''}`;
}
