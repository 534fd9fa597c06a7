/** @module auth/sessions — database sessions: `<id>.<secret>` cookie, hashed secret, idle and absolute expiry. */
import { and, eq, gt, lt, ne, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { plan } from '../db/plan';
import { sessions, users, type Session, type User } from '../db/schema';
import { generateSecret, hashToken, tokensEqual } from '../lib/crypto';

export const SESSION_IDLE_MS = 7 * 24 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 30 * 24 * 60 * 60 * 1000;
/** last_seen_at is written at most once a minute per session, so most requests stay read-only. */
export const SESSION_TOUCH_MS = 60 * 1000;

export interface SessionToken {
  id: string;
  secret: string;
}

/** The check a request carries into its batch: the session id and the hash of the secret from the cookie. */
export interface SessionCheck {
  id: string;
  secretHash: string;
  now: number;
}

export function parseSessionToken(value: string | undefined | null): SessionToken | null {
  if (!value || value.length > 200) return null;
  const match = /^([0-9a-f-]{36})\.([a-z2-7]{24})$/.exec(value);
  return match ? { id: match[1]!, secret: match[2]! } : null;
}

export function toSessionCheck(token: SessionToken, now: number): SessionCheck {
  return { id: token.id, secretHash: hashToken(token.secret), now };
}

/** A new session row and its cookie value; `createSession` is the statement that stores it. */
export function generateSession(userId: string, now: number): { token: string; session: Session } {
  const id = crypto.randomUUID();
  const secret = generateSecret();
  const row: Session = {
    id,
    userId,
    secretHash: hashToken(secret),
    createdAt: now,
    lastSeenAt: now,
    expiresAt: now + SESSION_ABSOLUTE_MS,
  };
  return { token: `${id}.${secret}`, session: row };
}

export function createSession(db: Db, session: Session) {
  return db.insert(sessions).values(session);
}

function liveSessionConditions(check: SessionCheck): SQL {
  return and(
    eq(sessions.id, check.id),
    eq(sessions.secretHash, check.secretHash),
    gt(sessions.expiresAt, check.now),
    gt(sessions.lastSeenAt, check.now - SESSION_IDLE_MS),
  )!;
}

/**
 * The current user's id as an SQL subquery. Reads and writes of a request put it in their conditions so the
 * whole request — session check included — runs as one batch, and a write never happens for a bad session.
 */
export function currentUserId(check: SessionCheck): SQL {
  return sql`(select ${sessions.userId} from ${sessions} inner join ${users} on ${users.id} = ${sessions.userId} where ${liveSessionConditions(check)} and ${users.disabledAt} is null)`;
}

/**
 * The session check as a plan; `authenticate()` puts it in front of every request's own plan. It bumps last_seen_at
 * (at most once a minute), reads the session and reads its user: two plain reads rather than a join, because D1
 * returns batch rows as objects keyed by column name, so a join whose tables share column names (id, created_at)
 * would lose columns. The secret is compared again in constant time on the row read.
 */
export function validateSessionToken(check: SessionCheck) {
  return plan(
    (db) =>
      [
        db
          .update(sessions)
          .set({ lastSeenAt: check.now })
          .where(and(liveSessionConditions(check), lt(sessions.lastSeenAt, check.now - SESSION_TOUCH_MS))),
        db.select().from(sessions).where(eq(sessions.id, check.id)).limit(1),
        db
          .select()
          .from(users)
          .where(eq(users.id, sql`(select ${sessions.userId} from ${sessions} where ${sessions.id} = ${check.id})`))
          .limit(1),
      ] as const,
    ([, sessionRows, userRows]) => sessionOutcome(sessionRows, userRows, check),
  );
}

export type SessionResult =
  { ok: true; user: User; session: Session } | { ok: false; reason: 'missing' | 'expired' | 'disabled' };

function sessionOutcome(
  sessionRows: readonly Session[],
  userRows: readonly User[],
  check: SessionCheck,
): SessionResult {
  const session = sessionRows[0];
  const user = userRows[0];
  if (!session || !user || !tokensEqual(session.secretHash, check.secretHash)) return { ok: false, reason: 'missing' };
  if (session.expiresAt <= check.now || session.lastSeenAt <= check.now - SESSION_IDLE_MS) {
    return { ok: false, reason: 'expired' };
  }
  if (user.disabledAt !== null) return { ok: false, reason: 'disabled' };
  return { ok: true, user, session };
}

export function invalidateSession(db: Db, sessionId: string) {
  return db.delete(sessions).where(eq(sessions.id, sessionId));
}

export function invalidateUserSessions(db: Db, userId: string) {
  return db.delete(sessions).where(eq(sessions.userId, userId));
}

/** After a password change: every session of the user but the one making the change. */
export function invalidateOtherSessions(db: Db, userId: string, keepSessionId: string) {
  return db.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)));
}

export function deleteExpiredSessions(db: Db, now: number) {
  return db.delete(sessions).where(lt(sessions.expiresAt, now));
}
