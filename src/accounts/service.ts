/**
 * @module accounts/service — sign-in with lockout, password reset and change, profile. Database work is done by plans
 * (db/plan); an operation that must hash or verify a password between two round trips is an async function that runs
 * its plans with `runPlan`.
 */
import type { Preferences } from '../notifications/preferences';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { plan, runPlan } from '../db/plan';
import { passwordResets, sessions, users, type User } from '../db/schema';
import { hashToken } from '../lib/crypto';
import { deviceAfterSuccess, type DeviceCookie } from '../auth/device-cookie';
import { accountKey, clearThrottle, isLocked, readThrottles, recordFailedPassword, throttleKey } from '../auth/lockout';
import { dummyPasswordHash, hashPassword, passwordProblem, verifyPassword, type ScryptParams } from '../auth/passwords';
import { invalidateOtherSessions, createSession, generateSession, type SessionToken } from '../auth/sessions';

export type SignInResult =
  { ok: true; user: User; token: string; device: DeviceCookie } | { ok: false; reason: 'invalid' | 'locked' };

/**
 * Checks the credentials and opens a new session. The user and the throttle buckets are read in one batch; scrypt
 * always runs (on a dummy hash for an unknown address), and a failure always writes the same upsert, keyed by the
 * address, so an unknown address, a wrong password and a disabled account look and cost the same — lock included.
 * `device` is the browser's verified device cookie: when it names this account, its failures count on their own
 * (see auth/lockout). `previous` is the session the browser held before, closed in the same batch as the new one.
 */
export async function signIn(
  db: Db,
  input: {
    email: string;
    password: string;
    now: number;
    device: DeviceCookie | null;
    previous?: SessionToken | null;
    hashing?: ScryptParams;
  },
): Promise<SignInResult> {
  const { email, password, now, device, hashing } = input;
  const { user, throttles } = await runPlan(db, findSignInState(email, device));
  const key = throttleKey(device, user?.id, email);
  const verified = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()), hashing);
  if (isLocked(throttles, key, now)) return { ok: false, reason: 'locked' };
  if (!user || !verified.ok || user.disabledAt !== null) {
    return { ok: false, reason: (await runPlan(db, recordFailedPassword(key, now))) ? 'locked' : 'invalid' };
  }

  // A hash made with another cost than the configured one is replaced now that the password is known.
  const rehash = verified.needsRehash ? await hashPassword(password, hashing) : undefined;
  const token = await runPlan(db, openSession(user.id, now, rehash, input.previous ?? null, key));
  return {
    ok: true,
    user: rehash ? { ...user, passwordHash: rehash } : user,
    token,
    device: deviceAfterSuccess(device, user.id),
  };
}

function findSignInState(email: string, device: DeviceCookie | null) {
  return plan(
    (db) => [db.select().from(users).where(eq(users.email, email)).limit(1), readThrottles(db, email, device)] as const,
    ([rows, throttles]) => ({ user: rows[0] ?? null, throttles }),
  );
}

/**
 * A new session for the user, its throttle bucket started afresh (and a stronger hash), the browser's previous
 * session closed.
 */
function openSession(
  userId: string,
  now: number,
  rehash: string | undefined,
  previous: SessionToken | null,
  throttle: string,
) {
  const { token, session } = generateSession(userId, now);
  return plan(
    (db) => {
      return [
        createSession(db, session),
        clearThrottle(db, throttle),
        ...(rehash ? [db.update(users).set({ passwordHash: rehash }).where(eq(users.id, userId))] : []),
        ...(previous ? [endSession(db, previous)] : []),
      ] as const;
    },
    () => token,
  );
}

/** The session goes only if the secret matches, so a guessed id cannot end someone else's session. */
function endSession(db: Db, token: SessionToken) {
  return db.delete(sessions).where(and(eq(sessions.id, token.id), eq(sessions.secretHash, hashToken(token.secret))));
}

/** Sign-out. */
export function signOut(token: SessionToken) {
  return plan(
    (db) => [endSession(db, token)] as const,
    () => undefined,
  );
}

export type ResetResult =
  { ok: true } | { ok: false; reason: 'used' } | { ok: false; reason: 'policy'; message: string };

/** Checks the new password against the policy, hashes it, and uses the link (`usePasswordReset`). */
export async function resetPassword(
  db: Db,
  reset: { id: string; userId: string; email: string },
  password: string,
  now: number,
  hashing?: ScryptParams,
): Promise<ResetResult> {
  const problem = passwordProblem(password, reset.email);
  if (problem) return { ok: false, reason: 'policy', message: problem };
  return runPlan(db, usePasswordReset(reset, await hashPassword(password, hashing), now));
}

/**
 * Sets the new password, ends every session of the user, lifts the account's lock and uses up every open link of the
 * user, in one batch. Each write is conditioned on the link still being usable, so a link used twice at once
 * changes the password only once.
 */
function usePasswordReset(reset: { id: string; userId: string; email: string }, passwordHash: string, now: number) {
  const usable = sql`exists (select 1 from ${passwordResets} where ${and(
    eq(passwordResets.id, reset.id),
    isNull(passwordResets.usedAt),
    gt(passwordResets.expiresAt, now),
  )})`;
  return plan(
    (db) =>
      [
        db
          .update(users)
          .set({ passwordHash })
          .where(and(eq(users.id, reset.userId), usable)),
        db.delete(sessions).where(and(eq(sessions.userId, reset.userId), usable)),
        // The lock strangers may have put on the account goes too (the browser used here becomes a known device).
        clearThrottle(db, accountKey(reset.email), usable),
        db
          .update(passwordResets)
          .set({ usedAt: now })
          .where(and(eq(passwordResets.userId, reset.userId), isNull(passwordResets.usedAt))),
        db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, reset.userId)),
      ] as const,
    ([, , , , check]): ResetResult =>
      check[0]?.passwordHash === passwordHash ? { ok: true } : { ok: false, reason: 'used' },
  );
}

export type PasswordChangeResult =
  { ok: true } | { ok: false; field: 'current_password' | 'new_password'; message: string };

export const CURRENT_PASSWORD_WRONG = 'Your current password is not correct.';
export const CURRENT_PASSWORD_LOCKED =
  'Too many wrong passwords. Wait 15 minutes and try again, or reset your password.';

/**
 * Changes the password after checking the current one, and ends every other session of the user. A wrong current
 * password counts like a failed sign-in in the bucket `throttle.key` (see auth/lockout), and a locked bucket refuses
 * even the right one: a stolen session is no way around the lockout.
 */
export async function changePassword(
  db: Db,
  input: {
    user: User;
    sessionId: string;
    current: string;
    next: string;
    throttle: { key: string; locked: boolean };
    now: number;
    hashing?: ScryptParams;
  },
): Promise<PasswordChangeResult> {
  const { user, sessionId, current, next, throttle, now, hashing } = input;
  const verified = await verifyPassword(current, user.passwordHash);
  if (throttle.locked) return { ok: false, field: 'current_password', message: CURRENT_PASSWORD_LOCKED };
  if (!verified.ok) {
    const locked = await runPlan(db, recordFailedPassword(throttle.key, now));
    return { ok: false, field: 'current_password', message: locked ? CURRENT_PASSWORD_LOCKED : CURRENT_PASSWORD_WRONG };
  }
  const problem = passwordProblem(next, user.email);
  if (problem) return { ok: false, field: 'new_password', message: problem };
  if (next === current) {
    return { ok: false, field: 'new_password', message: 'Choose a password different from the current one.' };
  }
  await runPlan(db, setPassword(user.id, sessionId, await hashPassword(next, hashing), throttle.key));
  return { ok: true };
}

function setPassword(userId: string, keepSessionId: string, passwordHash: string, throttle: string) {
  return plan(
    (db) =>
      [
        db.update(users).set({ passwordHash }).where(eq(users.id, userId)),
        invalidateOtherSessions(db, userId, keepSessionId),
        clearThrottle(db, throttle),
      ] as const,
    () => undefined,
  );
}

/** The profile fields a user edits; `me` is the current user, so a bad session writes nothing. */
export function updateProfile(values: { name: string; notifyEmail: boolean } & Partial<Preferences>) {
  return plan(
    (db, me) => [db.update(users).set(values).where(eq(users.id, me))] as const,
    () => undefined,
  );
}
