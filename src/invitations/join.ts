/** @module invitations/join — turning a link into an account (or a membership), exactly once. */
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { generateSession } from '../auth/sessions';
import { plan } from '../db/plan';
import { insertSelectFields, q } from '../db/insert-select';
import { invitations, projectMembers, sessions, users } from '../db/schema';
import { isUsable } from '../auth/invitations';
import { projectKeyField } from './queries';

export interface JoinInput {
  invitationId: string;
  name: string;
  passwordHash: string;
  now: number;
}

export type JoinResult =
  | { ok: true; userId: string; sessionToken: string; projectKey: string | null }
  | { ok: false; reason: 'not_available' };

/** Joins the invitation's project, when it names one, as the user who has just used it (`usedNow` finds it). */
function addInvitedMember(db: Db, userId: string, now: number, usedNow: SQL | undefined) {
  return db
    .insert(projectMembers)
    .select(
      db
        .select(insertSelectFields(projectMembers, { projectId: invitations.projectId, userId, addedAt: now }))
        .from(invitations)
        .where(and(usedNow, sql`${invitations.projectId} is not null`))
        .getSQL(),
    )
    .onConflictDoNothing();
}

/**
 * Creates the user from the invitation (its email and role, never the posted ones), marks the invitation used,
 * adds the project membership and opens a session — one batch. Every statement is conditional on the previous one
 * having happened, so of two concurrent joins with one link exactly one creates a user; the other gets
 * `not_available`. (Foreign keys are checked at once, so the user row comes before the `used_by` that points to it.)
 */
export function joinAsNewUser({ invitationId, name, passwordHash, now }: JoinInput) {
  const userId = crypto.randomUUID();
  const session = generateSession(userId, now);
  const usedByThisJoin = and(eq(invitations.id, invitationId), eq(invitations.usedBy, userId));
  return plan(
    (db) =>
      [
        db.insert(users).select(
          db
            .select(
              insertSelectFields(users, {
                id: userId,
                email: invitations.email,
                name,
                role: invitations.role,
                passwordHash,
                createdAt: now,
              }),
            )
            .from(invitations)
            .where(
              and(
                eq(invitations.id, invitationId),
                isUsable(now),
                sql`not exists (select 1 from ${users} where ${users.email} = ${invitations.email})`,
              ),
            )
            .getSQL(),
        ),
        db
          .update(invitations)
          .set({ usedAt: now, usedBy: userId })
          .where(
            and(
              eq(invitations.id, invitationId),
              isUsable(now),
              sql`exists (select 1 from ${users} where ${users.id} = ${userId})`,
            ),
          ),
        addInvitedMember(db, userId, now, usedByThisJoin),
        db
          .insert(sessions)
          .select(
            db.select(insertSelectFields(sessions, session.session)).from(invitations).where(usedByThisJoin).getSQL(),
          ),
        db
          .select({
            usedBy: invitations.usedBy,
            projectKey: projectKeyField(),
          })
          .from(invitations)
          .where(eq(invitations.id, invitationId)),
      ] as const,
    ([, , , , result]): JoinResult => {
      const row = result[0];
      if (!row || row.usedBy !== userId) return { ok: false, reason: 'not_available' };
      return { ok: true, userId, sessionToken: session.token, projectKey: row.projectKey };
    },
  );
}

export type AcceptResult = { ok: true; projectKey: string | null } | { ok: false; reason: 'not_available' };

/** A signed-in user takes an invitation sent to their own address: it is marked used and they join the project. */
export function acceptInvitation({
  invitationId,
  userId,
  email,
  now,
}: {
  invitationId: string;
  userId: string;
  email: string;
  now: number;
}) {
  return plan(
    (db) =>
      [
        db
          .update(invitations)
          .set({ usedAt: now, usedBy: userId })
          .where(and(eq(invitations.id, invitationId), eq(invitations.email, email), isUsable(now))),
        addInvitedMember(
          db,
          userId,
          now,
          and(eq(invitations.id, invitationId), eq(invitations.usedBy, userId), eq(invitations.usedAt, now)),
        ),
        db
          .select({
            usedBy: invitations.usedBy,
            usedAt: invitations.usedAt,
            projectKey: projectKeyField(),
          })
          .from(invitations)
          .where(eq(invitations.id, invitationId)),
      ] as const,
    ([, , result]): AcceptResult => {
      const row = result[0];
      if (!row || row.usedBy !== userId || row.usedAt !== now) return { ok: false, reason: 'not_available' };
      return { ok: true, projectKey: row.projectKey };
    },
  );
}
