/**
 * @module accounts/service — sign-in with lockout, password reset and change, profile. Database work is done by plans
 * (db/plan); an operation that must hash or verify a password between two round trips is an async function that runs
 * its plans with `runPlan`.
 */
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { plan, runPlan } from '../db/plan';
import { passwordResets, sessions, users, type PasswordReset, type User } from '../db/schema';
import { hashToken } from '../lib/crypto';
import { passwordResetToken } from '../lib/links';
import { planMail, type PlannedMail } from '../mail/producer';
import { dummyPasswordHash, hashPassword, passwordProblem, verifyPassword } from '../auth/passwords';
import { invalidateOtherSessions, createSession, generateSession, type SessionToken } from '../auth/sessions';

/** After this many consecutive failures the account refuses sign-in for LOCKOUT_MS, then allows as many again. */
export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;
export const PASSWORD_RESET_TTL_MS = 60 * 60 * 1000;

export type SignInResult =
  { ok: true; user: User; token: string } | { ok: false; reason: 'invalid' | 'locked'; lockedUntil?: number };

/**
 * Checks the credentials and opens a new session. An unknown email does what a wrong password does — scrypt (on a
 * dummy hash), then the failure counter's UPDATE (which matches no row) — so both take about as long: the same CPU
 * and the same database round trips. A disabled account answers like a wrong password. `previous` is the session the
 * browser held before, closed in the same batch.
 */
export async function signIn(
  db: Db,
  input: { email: string; password: string; now: number; previous?: SessionToken | null },
): Promise<SignInResult> {
  const { email, password, now } = input;
  const user = await runPlan(db, findUserByEmail(email));
  const verified = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user) return runPlan(db, recordFailedSignIn(email, now));
  if (user.lockedUntil !== null && user.lockedUntil > now) {
    return { ok: false, reason: 'locked', lockedUntil: user.lockedUntil };
  }
  if (!verified.ok) return runPlan(db, recordFailedSignIn(email, now));
  if (user.disabledAt !== null) return { ok: false, reason: 'invalid' };

  const rehash = verified.needsRehash ? await hashPassword(password) : undefined;
  const token = await runPlan(db, openSession(user.id, now, rehash, input.previous ?? null));
  return { ok: true, user: rehash ? { ...user, passwordHash: rehash } : user, token };
}

function findUserByEmail(email: string) {
  return plan(
    (db) => [db.select().from(users).where(eq(users.email, email)).limit(1)] as const,
    ([rows]) => rows[0] ?? null,
  );
}

/** A new session for the user, a cleared failure count (and a stronger hash), the browser's previous session closed. */
function openSession(userId: string, now: number, rehash: string | undefined, previous: SessionToken | null) {
  const { token, session } = generateSession(userId, now);
  return plan(
    (db) => {
      return [
        createSession(db, session),
        db
          .update(users)
          .set({ failedLogins: 0, lockedUntil: null, ...(rehash ? { passwordHash: rehash } : {}) })
          .where(eq(users.id, userId)),
        ...(previous ? [endSession(db, previous)] : []),
      ] as const;
    },
    () => token,
  );
}

/**
 * One atomic update: count the failure, and on the last allowed one lock the account and start counting anew. Keyed
 * by email so that an unknown address runs the same statement (it changes nothing).
 */
function recordFailedSignIn(email: string, now: number) {
  const reachesLimit = sql`${users.failedLogins} + 1 >= ${MAX_FAILED_LOGINS}`;
  return plan(
    (db) =>
      [
        db
          .update(users)
          .set({
            failedLogins: sql`case when ${reachesLimit} then 0 else ${users.failedLogins} + 1 end`,
            lockedUntil: sql`case when ${reachesLimit} then ${now + LOCKOUT_MS} else ${users.lockedUntil} end`,
          })
          .where(eq(users.email, email))
          .returning({ lockedUntil: users.lockedUntil }),
      ] as const,
    ([[row]]): SignInResult =>
      row?.lockedUntil != null && row.lockedUntil > now
        ? { ok: false, reason: 'locked', lockedUntil: row.lockedUntil }
        : { ok: false, reason: 'invalid' },
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

/**
 * A reset link for an active account, or nothing: the caller answers the same either way. The link's token is
 * derived from TOKEN_SECRET and the row; only its hash is stored, and the mail consumer rebuilds the link.
 */
export async function requestPasswordReset(
  db: Db,
  input: { email: string; tokenSecret: string; now: number },
): Promise<{ mail: PlannedMail['message'] | null }> {
  const { email, tokenSecret, now } = input;
  const user = await runPlan(db, findActiveUserByEmail(email));
  if (!user) return { mail: null };
  const reset: PasswordReset = {
    id: crypto.randomUUID(),
    tokenHash: '',
    userId: user.id,
    createdAt: now,
    expiresAt: now + PASSWORD_RESET_TTL_MS,
    usedAt: null,
  };
  reset.tokenHash = hashToken(await passwordResetToken(tokenSecret, reset));
  return runPlan(db, createPasswordReset(reset, user.email));
}

function findActiveUserByEmail(email: string) {
  return plan(
    (db) =>
      [
        db
          .select({ id: users.id, email: users.email })
          .from(users)
          .where(and(eq(users.email, email), isNull(users.disabledAt)))
          .limit(1),
      ] as const,
    ([rows]) => rows[0] ?? null,
  );
}

/** The reset row and its email's delivery row, together. */
function createPasswordReset(reset: PasswordReset, recipient: string) {
  let message: PlannedMail['message'] | null = null;
  return plan(
    (db) => {
      const mail = planMail(db, { type: 'password_reset', id: reset.id }, recipient, reset.createdAt);
      message = mail.message;
      return [db.insert(passwordResets).values(reset), mail.insert] as const;
    },
    () => ({ mail: message }),
  );
}

/** The unused, unexpired reset that `token` belongs to, with its user's email (for the password policy). */
export function findPasswordReset(token: string, now: number) {
  return plan(
    (db) =>
      [
        db
          .select({ id: passwordResets.id, userId: passwordResets.userId, email: users.email })
          .from(passwordResets)
          .innerJoin(users, eq(users.id, passwordResets.userId))
          .where(
            and(
              eq(passwordResets.tokenHash, hashToken(token)),
              isNull(passwordResets.usedAt),
              gt(passwordResets.expiresAt, now),
              isNull(users.disabledAt),
            ),
          )
          .limit(1),
      ] as const,
    ([rows]): { id: string; userId: string; email: string } | null => rows[0] ?? null,
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
): Promise<ResetResult> {
  const problem = passwordProblem(password, reset.email);
  if (problem) return { ok: false, reason: 'policy', message: problem };
  return runPlan(db, usePasswordReset(reset, await hashPassword(password), now));
}

/**
 * Sets the new password, ends every session of the user, clears the lockout and uses up every open link of the
 * user, in one batch. Each write is conditioned on the link still being usable, so a link used twice at once
 * changes the password only once.
 */
function usePasswordReset(reset: { id: string; userId: string }, passwordHash: string, now: number) {
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
          .set({ passwordHash, failedLogins: 0, lockedUntil: null })
          .where(and(eq(users.id, reset.userId), usable)),
        db.delete(sessions).where(and(eq(sessions.userId, reset.userId), usable)),
        db
          .update(passwordResets)
          .set({ usedAt: now })
          .where(and(eq(passwordResets.userId, reset.userId), isNull(passwordResets.usedAt))),
        db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, reset.userId)),
      ] as const,
    ([, , , check]): ResetResult =>
      check[0]?.passwordHash === passwordHash ? { ok: true } : { ok: false, reason: 'used' },
  );
}

export type PasswordChangeResult =
  { ok: true } | { ok: false; field: 'current_password' | 'new_password'; message: string };

/** Changes the password after checking the current one, and ends every other session of the user. */
export async function changePassword(
  db: Db,
  input: { user: User; sessionId: string; current: string; next: string },
): Promise<PasswordChangeResult> {
  const { user, sessionId, current, next } = input;
  const verified = await verifyPassword(current, user.passwordHash);
  if (!verified.ok) return { ok: false, field: 'current_password', message: 'Your current password is not correct.' };
  const problem = passwordProblem(next, user.email);
  if (problem) return { ok: false, field: 'new_password', message: problem };
  if (next === current) {
    return { ok: false, field: 'new_password', message: 'Choose a password different from the current one.' };
  }
  await runPlan(db, setPassword(user.id, sessionId, await hashPassword(next)));
  return { ok: true };
}

function setPassword(userId: string, keepSessionId: string, passwordHash: string) {
  return plan(
    (db) =>
      [
        db.update(users).set({ passwordHash }).where(eq(users.id, userId)),
        invalidateOtherSessions(db, userId, keepSessionId),
      ] as const,
    () => undefined,
  );
}

/** The profile fields a user edits; `me` is the current user, so a bad session writes nothing. */
export function updateProfile(values: { name: string; notifyEmail: boolean }) {
  return plan(
    (db, me) =>
      [db.update(users).set({ name: values.name, notifyEmail: values.notifyEmail }).where(eq(users.id, me))] as const,
    () => undefined,
  );
}
