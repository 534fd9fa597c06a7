/** @module invitations/queries — invitation reads as plans and the statements they share (the status rule: auth/invitations). */
import { and, desc, eq, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { meIsManager } from '../auth/permissions';
import type { Db } from '../db/client';
import { plan } from '../db/plan';
import { invitations, projects, users } from '../db/schema';
import { hashToken } from '../lib/crypto';
import { q } from '../db/insert-select';

// Subqueries in the select list, with distinct aliases so rows survive D1's batch results (keyed by column name).
export const projectKeyField = () =>
  sql<
    string | null
  >`(select ${q(projects.key)} from ${projects} where ${q(projects.id)} = ${q(invitations.projectId)})`.as(
    'project_key',
  );
const projectNameField = () =>
  sql<
    string | null
  >`(select ${q(projects.name)} from ${projects} where ${q(projects.id)} = ${q(invitations.projectId)})`.as(
    'project_name',
  );
const senderNameField = () =>
  sql<string | null>`(select ${q(users.name)} from ${users} where ${q(users.id)} = ${q(invitations.senderId)})`.as(
    'sender_name',
  );
const usedByNameField = () =>
  sql<string | null>`(select ${q(users.name)} from ${users} where ${q(users.id)} = ${q(invitations.usedBy)})`.as(
    'used_by_name',
  );
const accountExistsField = () =>
  sql<number>`exists (select 1 from ${users} where ${q(users.email)} = ${q(invitations.email)})`.as('account_exists');

/** What both the list row and the join page show about an invitation. */
function commonFields() {
  return {
    id: invitations.id,
    email: invitations.email,
    role: invitations.role,
    projectId: invitations.projectId,
    usedAt: invitations.usedAt,
    revokedAt: invitations.revokedAt,
    expiresAt: invitations.expiresAt,
    projectKey: projectKeyField(),
    projectName: projectNameField(),
    senderName: senderNameField(),
  };
}

/** Everything the list row shows; names are distinct so the row survives D1's batch results. */
function rowSelect(db: Db) {
  return db
    .select({
      ...commonFields(),
      createdAt: invitations.createdAt,
      deliveryState: invitations.deliveryState,
      deliveryError: invitations.deliveryError,
      usedByName: usedByNameField(),
    })
    .from(invitations);
}

export type InvitationRow = Awaited<ReturnType<typeof rowSelect>>[number];

export const LIST_PAGE_SIZE = 50;

/** A keyset cursor: the `(created_at, id)` of the last row shown. */
export interface ListCursor {
  createdAt: number;
  id: string;
}

/**
 * A manager's page of invitations, newest first: one page plus one row (to know whether there is more). Empty for
 * anyone else.
 */
export function listInvitations(before: ListCursor | null) {
  return plan(
    (db, me) => [invitationsPage(db, meIsManager(me), before)] as const,
    ([rows]) => rows,
  );
}

/** `guard` is the caller's permission. */
export function invitationsPage(db: Db, guard: SQL, before: ListCursor | null) {
  const older = before
    ? or(
        lt(invitations.createdAt, before.createdAt),
        and(eq(invitations.createdAt, before.createdAt), lt(invitations.id, before.id)),
      )
    : undefined;
  return rowSelect(db)
    .where(and(guard, older))
    .orderBy(desc(invitations.createdAt), desc(invitations.id))
    .limit(LIST_PAGE_SIZE + 1);
}

/** One invitation; `guard` is the caller's permission (none for a service that already checked it). */
export function invitationRowById(db: Db, id: string, guard?: SQL) {
  return rowSelect(db)
    .where(and(guard, eq(invitations.id, id)))
    .limit(1);
}

/** One invitation, for a manager (nothing for anyone else). */
export function findInvitation(id: string) {
  return plan(
    (db, me) => [invitationRowById(db, id, meIsManager(me))] as const,
    ([rows]) => rows[0] ?? null,
  );
}

/** Non-archived projects an invitation may point to (for a manager; none for anyone else). */
export function listInvitableProjects() {
  return plan(
    (db, me) => [invitableProjects(db, meIsManager(me))] as const,
    ([rows]) => rows,
  );
}

function invitableProjects(db: Db, guard: SQL) {
  return db
    .select({ id: projects.id, key: projects.key, name: projects.name })
    .from(projects)
    .where(and(guard, isNull(projects.archivedAt)))
    .orderBy(projects.name)
    .limit(500);
}

/** The invitation behind a link, with what the join page shows, or null for an unknown token. */
export function findInvitationByToken(token: string) {
  return plan(
    (db) =>
      [
        db
          .select({ ...commonFields(), accountExists: accountExistsField() })
          .from(invitations)
          .where(eq(invitations.tokenHash, hashToken(token)))
          .limit(1),
      ] as const,
    ([rows]) => rows[0] ?? null,
  );
}

export type JoinInvitation = NonNullable<ReturnType<ReturnType<typeof findInvitationByToken>['read']>>;
