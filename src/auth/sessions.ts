/** @module auth/sessions — database sessions: `<id>.<secret>` cookie, hashed secret, idle and absolute expiry. */
import { and, eq, gt, lt, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { cached, withValues } from '../db/cached';
import { NOBODY, plan } from '../db/plan';
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

/** What the session conditions compare: the check's values, or placeholders of them (db/cached). */
interface LiveSession {
  id: string;
  secretHash: string;
  now: number;
  idleSince: number;
}

function liveSessionConditions(s: LiveSession): SQL {
  return and(
    eq(sessions.id, s.id),
    eq(sessions.secretHash, s.secretHash),
    gt(sessions.expiresAt, s.now),
    gt(sessions.lastSeenAt, s.idleSince),
  )!;
}

function liveSessionOf(check: SessionCheck): LiveSession {
  return { id: check.id, secretHash: check.secretHash, now: check.now, idleSince: check.now - SESSION_IDLE_MS };
}

function userIdOf(s: LiveSession): SQL {
  return sql`(select ${sessions.userId} from ${sessions} inner join ${users} on ${users.id} = ${sessions.userId} where ${liveSessionConditions(s)} and ${users.disabledAt} is null)`;
}

/** `currentUserId` with placeholders: cached statements (db/cached) keep one text for every session. */
const USER_ID_TEMPLATE = userIdOf({
  id: sql.placeholder('meId'),
  secretHash: sql.placeholder('meHash'),
  now: sql.placeholder('meNow'),
  idleSince: sql.placeholder('meIdle'),
} as unknown as LiveSession);

/**
 * The current user's id as an SQL subquery. Reads and writes of a request put it in their conditions so the
 * whole request — session check included — runs as one batch, and a write never happens for a bad session.
 */
export function currentUserId(check: SessionCheck): SQL {
  const s = liveSessionOf(check);
  const values = { meId: s.id, meHash: s.secretHash, meNow: s.now, meIdle: s.idleSince };
  return withValues(userIdOf(s), values, USER_ID_TEMPLATE);
}

// The session check's statements run on every request: their SQL is built once (db/cached).
const touchSession = cached('session.touch', (db, _me, v: LiveSession & { touchBefore: number }) =>
  db
    .update(sessions)
    .set({ lastSeenAt: v.now })
    .where(and(liveSessionConditions(v), lt(sessions.lastSeenAt, v.touchBefore))),
);
const readSession = cached('session.read', (db, _me, v: { id: string }) =>
  db.select().from(sessions).where(eq(sessions.id, v.id)).limit(1),
);
const readSessionUser = cached('session.user', (db, _me, v: { id: string }) =>
  db
    .select()
    .from(users)
    .where(eq(users.id, sql`(select ${sessions.userId} from ${sessions} where ${sessions.id} = ${v.id})`))
    .limit(1),
);

/**
 * The session check as a plan; `authenticate()` puts it in front of every request's own plan. It bumps last_seen_at
 * (at most once a minute), reads the session and reads its user: two plain reads rather than a join, because D1
 * returns batch rows as objects keyed by column name, so a join whose tables share column names (id, created_at)
 * would lose columns. The secret is compared again in constant time on the row read.
 */
export function validateSessionToken(check: SessionCheck) {
  const live = { ...liveSessionOf(check), touchBefore: check.now - SESSION_TOUCH_MS };
  return plan(
    (db) =>
      [
        touchSession(db, NOBODY, live),
        readSession(db, NOBODY, { id: check.id }),
        readSessionUser(db, NOBODY, { id: check.id }),
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

/** SQL: the session has ended, by its absolute or its idle expiry (what `validateSessionRow` calls expired). */
export function sessionEnded(now: number): SQL {
  return or(lte(sessions.expiresAt, now), lte(sessions.lastSeenAt, now - SESSION_IDLE_MS))!;
}
