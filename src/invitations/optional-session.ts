/** @module invitations/optional-session — public pages that behave differently for a signed-in visitor. */
import type { Context } from 'hono';
import type { BatchItem, BatchResponse } from 'drizzle-orm/batch';
import { sessionStatements, toSessionCheck, validateSessionRow } from '../accounts/sessions';
import type { Session, User } from '../db/schema';
import type { AppEnv } from '../env';
import { deleteSessionCookie } from '../middleware/session';

/**
 * Runs `statements` with the session check in one batch when a cookie is present. Unlike `authenticate()`, a
 * missing or stale session is not an error here: the visitor is simply anonymous (and a stale cookie is dropped).
 */
export async function withOptionalSession<const T extends readonly [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]>(
  c: Context<AppEnv>,
  statements: T,
): Promise<{ user: User | null; results: BatchResponse<T> }> {
  const db = c.var.db;
  const token = c.var.sessionToken;
  if (!token) return { user: null, results: await db.batch(statements) };
  const check = toSessionCheck(token, Date.now());
  const [, sessionRows, userRows, ...results] = (await db.batch([
    ...sessionStatements(db, check),
    ...statements,
  ] as unknown as [BatchItem<'sqlite'>])) as unknown as [unknown, Session[], User[], ...unknown[]];
  const outcome = validateSessionRow(sessionRows, userRows, check);
  if (!outcome.ok) {
    deleteSessionCookie(c);
    return { user: null, results: results as BatchResponse<T> };
  }
  c.set('user', outcome.user);
  c.set('sessionId', outcome.session.id);
  return { user: outcome.user, results: results as BatchResponse<T> };
}
