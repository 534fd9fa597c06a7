/**
 * @module auth/lockout — slowing password guessing without letting strangers lock anyone out. Failed password checks
 * (sign-in and the current password of a change) are counted per bucket: a browser holding the account's device
 * cookie has its own, every other client shares the account's, keyed by the address so that an unknown address counts
 * and answers exactly like a known one. MAX_FAILED_PASSWORDS failures within LOCKOUT_MS lock that bucket for
 * LOCKOUT_MS; the others keep working.
 */
import { and, eq, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { plan, runPlan } from '../db/plan';
import type { JobContext } from '../scheduled/job';
import { signInThrottles, users, type SignInThrottle } from '../db/schema';
import type { DeviceCookie } from './device-cookie';

export const MAX_FAILED_PASSWORDS = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;

export function accountKey(email: string): string {
  return `account:${email}`;
}

export function deviceKey(deviceId: string): string {
  return `device:${deviceId}`;
}

/** The bucket a password check of `userId` (undefined: no such account) counts against. */
export function throttleKey(device: DeviceCookie | null, userId: string | undefined, email: string): string {
  return device && userId !== undefined && device.userId === userId ? deviceKey(device.deviceId) : accountKey(email);
}

/** Reads the buckets a check may use (the account's and the device's), to go into the request's batch. */
export function readThrottles(db: Db, email: string | SQL, device: DeviceCookie | null) {
  const account = typeof email === 'string' ? accountKey(email) : sql`'account:' || ${email}`;
  const byDevice = device ? eq(signInThrottles.key, deviceKey(device.deviceId)) : undefined;
  return db
    .select()
    .from(signInThrottles)
    .where(or(eq(signInThrottles.key, account), byDevice));
}

/** The same for the signed-in user (`me`), whose address is read inside the batch. */
export function findOwnThrottles(device: DeviceCookie | null) {
  return plan(
    (db, me) =>
      [readThrottles(db, sql`(select ${users.email} from ${users} where ${users.id} = ${me})`, device)] as const,
    ([rows]) => rows,
  );
}

export function isLocked(rows: readonly SignInThrottle[], key: string, now: number): boolean {
  const row = rows.find((r) => r.key === key);
  return row?.lockedUntil != null && row.lockedUntil > now;
}

/**
 * Counts one failure in one atomic upsert; the failure that reaches the limit locks the bucket and starts a new
 * window. Answers whether the bucket is now locked.
 */
export function recordFailedPassword(key: string, now: number) {
  const t = signInThrottles;
  const windowOver = sql`${t.windowStartedAt} <= ${now - LOCKOUT_MS}`;
  const reachesLimit = sql`(not ${windowOver} and ${t.failures} + 1 >= ${MAX_FAILED_PASSWORDS})`;
  return plan(
    (db) =>
      [
        db
          .insert(t)
          .values({ key, failures: 1, windowStartedAt: now, lockedUntil: null })
          .onConflictDoUpdate({
            target: t.key,
            set: {
              failures: sql`case when ${windowOver} then 1 when ${reachesLimit} then 0 else ${t.failures} + 1 end`,
              lockedUntil: sql`case when ${reachesLimit} then ${now + LOCKOUT_MS} else ${t.lockedUntil} end`,
              windowStartedAt: sql`case when ${windowOver} or ${reachesLimit} then ${now} else ${t.windowStartedAt} end`,
            },
          })
          .returning({ lockedUntil: t.lockedUntil }),
      ] as const,
    ([[row]]) => row?.lockedUntil != null && row.lockedUntil > now,
  );
}

/** A successful check starts its bucket afresh. */
export function clearThrottle(db: Db, key: string, when?: SQL) {
  return db.delete(signInThrottles).where(and(eq(signInThrottles.key, key), when));
}

/** Buckets whose window and lock are both over carry no information any more: at most `limit` go per run. */
export function deleteStaleThrottles(now: number, limit = 1000) {
  const t = signInThrottles;
  const stale = and(lt(t.windowStartedAt, now - LOCKOUT_MS), or(isNull(t.lockedUntil), lt(t.lockedUntil, now)));
  return plan(
    (db) =>
      [
        db
          .delete(t)
          .where(inArray(t.key, db.select({ key: t.key }).from(t).where(stale).limit(limit)))
          .returning({ key: t.key }),
      ] as const,
    ([rows]) => rows.length,
  );
}

/** The daily job (see scheduled/). */
export async function pruneThrottlesJob({ db, now }: JobContext): Promise<string> {
  return `deleted ${await runPlan(db, deleteStaleThrottles(now))} spent lockout counters`;
}
