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

export async function prune(
  { db, config, now }: JobContext,
  { batchSize = 500, maxRounds = 20 }: PruneOptions = {},
): Promise<Pruned> {
  // An email's text holds join and reset links; once every link it could hold has expired, it is only a liability.
  const bodyCutoff = now - config.INVITE_TTL_DAYS * DAY_MS;
  const pruned: Pruned = { sessions: 0, passwordResets: 0, outboxBodies: 0, more: false };
  for (let round = 0; round < maxRounds; round++) {
    const [endedSessions, deadResets, clearedBodies] = await db.batch([
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
            or(isNotNull(passwordResets.usedAt), lte(passwordResets.expiresAt, now))!,
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
    ]);
    pruned.sessions += endedSessions.length;
    pruned.passwordResets += deadResets.length;
    pruned.outboxBodies += clearedBodies.length;
    const full = [endedSessions, deadResets, clearedBodies].some((rows) => rows.length === batchSize);
    if (!full) return pruned;
  }
  return { ...pruned, more: true };
}

export async function pruneJob(ctx: JobContext, options?: PruneOptions): Promise<string> {
  const p = await prune(ctx, options);
  return `${p.sessions} sessions, ${p.passwordResets} password-reset links, ${p.outboxBodies} outbox bodies${p.more ? '; more left for the next run' : ''}`;
}
