/**
 * @module invitations/service — inviting by email, resending, revoking, reading invitations, joining through a link,
 * and the first manager's invitation. Functions take a Db and plain values, so routes, the bootstrap and tests share
 * them.
 */
import {
  and,
  Column,
  desc,
  eq,
  getTableColumns,
  getTableName,
  gt,
  inArray,
  is,
  isNull,
  lt,
  or,
  SQL,
  sql,
} from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { newSession } from '../accounts/sessions';
import type { Db } from '../db/client';
import { invitations, projectMembers, projects, sessions, users, type Invitation, type Role } from '../db/schema';
import { hashToken } from '../lib/crypto';
import { invitationToken, joinUrl } from '../lib/links';
import type { MailMessage } from '../mail/messages';
import { planMail } from '../mail/producer';

export const DAY_MS = 24 * 60 * 60 * 1000;

export type InvitationStatus = 'pending' | 'used' | 'expired' | 'revoked';

export function invitationStatus(
  inv: Pick<Invitation, 'usedAt' | 'revokedAt' | 'expiresAt'>,
  now: number,
): InvitationStatus {
  if (inv.usedAt !== null) return 'used';
  if (inv.revokedAt !== null) return 'revoked';
  return inv.expiresAt <= now ? 'expired' : 'pending';
}

/** An invitation that was neither used nor revoked: it may be renewed (resent), even after it expired. */
function isOpen(): SQL {
  return and(isNull(invitations.usedAt), isNull(invitations.revokedAt))!;
}

function isUsable(now: number): SQL {
  return and(isOpen(), gt(invitations.expiresAt, now))!;
}

function sameProject(projectId: string | null): SQL {
  return projectId === null ? isNull(invitations.projectId) : eq(invitations.projectId, projectId);
}

/** A token and its hash for this row and expiry (the token is derived, never stored). */
async function tokenFor(secret: string, id: string, expiresAt: number) {
  const token = await invitationToken(secret, { id, expiresAt });
  return { token, tokenHash: hashToken(token) };
}

export async function invitationLink(
  secret: string,
  origin: string,
  inv: Pick<Invitation, 'id' | 'expiresAt'>,
): Promise<string> {
  return joinUrl(origin, await invitationToken(secret, inv));
}

/** A later expiry than before, so a renewal always changes the token even within one millisecond. */
function renewedExpiry(now: number, ttlMs: number, previous: number): number {
  return Math.max(now + ttlMs, previous + 1);
}

// ---------------------------------------------------------------------------------------------------------------
// Inviting

export interface InviteInput {
  /** Lower-case, distinct addresses (see `parseEmailList`). */
  emails: readonly string[];
  role: Role;
  projectId: string | null;
  senderId: string | null;
  now: number;
  ttlMs: number;
  secret: string;
}

export type InviteOutcomeKind =
  /** A new invitation was created and its email queued. */
  | 'invited'
  /** An open invitation for this address and project existed: it got a fresh link and expiry, and was sent again. */
  | 'resent'
  /** The address already has an account: it was added to the project and told so. */
  | 'added'
  /** The address already has an account and is already in the project. */
  | 'member'
  /** The address already has an account and no project was chosen: nothing to do. */
  | 'account';

export interface InviteOutcome {
  email: string;
  kind: InviteOutcomeKind;
  /** For `invited` and `resent`: the invitation and its new expiry (enough to derive its link). */
  invitation?: { id: string; expiresAt: number };
}

export type InviteResult =
  { ok: true; outcomes: InviteOutcome[]; messages: MailMessage[] } | { ok: false; reason: 'project_unavailable' };

/**
 * Invites each address: existing accounts are never duplicated or changed (they are only added to the project),
 * and an address keeps at most one open invitation per project, renewed instead of piled up.
 * Two round trips: one read of what exists, then one batch of writes.
 */
export async function inviteByEmail(db: Db, input: InviteInput): Promise<InviteResult> {
  const { emails, role, projectId, senderId, now, ttlMs, secret } = input;
  if (emails.length === 0) return { ok: true, outcomes: [], messages: [] };

  const reads = [
    db
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(inArray(users.email, [...emails])),
    db
      .select({ id: invitations.id, email: invitations.email, expiresAt: invitations.expiresAt })
      .from(invitations)
      .where(and(inArray(invitations.email, [...emails]), sameProject(projectId), isOpen()))
      .orderBy(desc(invitations.createdAt)),
    db
      .select({ id: projects.id })
      .from(projects)
      .where(and(eq(projects.id, projectId ?? ''), isNull(projects.archivedAt))),
    db
      .select({ userId: projectMembers.userId })
      .from(projectMembers)
      .where(
        and(
          eq(projectMembers.projectId, projectId ?? ''),
          inArray(
            projectMembers.userId,
            db
              .select({ id: users.id })
              .from(users)
              .where(inArray(users.email, [...emails])),
          ),
        ),
      ),
  ] as const;
  const [existingUsers, openInvitations, projectRows, memberRows] = await db.batch(reads);
  if (projectId !== null && projectRows.length === 0) return { ok: false, reason: 'project_unavailable' };

  const userByEmail = new Map(existingUsers.map((u) => [u.email, u.id]));
  const members = new Set(memberRows.map((m) => m.userId));
  const openByEmail = new Map<string, { id: string; expiresAt: number }>();
  for (const inv of openInvitations) if (!openByEmail.has(inv.email)) openByEmail.set(inv.email, inv);

  const writes: BatchItem<'sqlite'>[] = [];
  const messages: MailMessage[] = [];
  const outcomes: InviteOutcome[] = [];

  for (const email of emails) {
    const userId = userByEmail.get(email);
    if (userId !== undefined) {
      if (projectId === null) outcomes.push({ email, kind: 'account' });
      else if (members.has(userId)) outcomes.push({ email, kind: 'member' });
      else {
        const mail = planMail(db, { type: 'added_to_project', id: userId, projectId }, email, now);
        writes.push(
          db.insert(projectMembers).values({ projectId, userId, addedAt: now }).onConflictDoNothing(),
          mail.insert,
        );
        messages.push(mail.message);
        outcomes.push({ email, kind: 'added' });
      }
      continue;
    }

    const open = openByEmail.get(email);
    if (open) {
      const expiresAt = renewedExpiry(now, ttlMs, open.expiresAt);
      const { tokenHash } = await tokenFor(secret, open.id, expiresAt);
      const mail = planMail(db, { type: 'invitation', id: open.id }, email, now);
      writes.push(
        db
          .update(invitations)
          .set({ tokenHash, expiresAt, role, senderId, deliveryState: 'QUEUED', deliveryError: null })
          .where(and(eq(invitations.id, open.id), isOpen())),
        mail.insert,
      );
      messages.push(mail.message);
      outcomes.push({ email, kind: 'resent', invitation: { id: open.id, expiresAt } });
      continue;
    }

    const id = crypto.randomUUID();
    const expiresAt = now + ttlMs;
    const { tokenHash } = await tokenFor(secret, id, expiresAt);
    const mail = planMail(db, { type: 'invitation', id }, email, now);
    writes.push(
      db.insert(invitations).values({
        id,
        tokenHash,
        email,
        senderId,
        projectId,
        role,
        expiresAt,
        createdAt: now,
        deliveryState: 'QUEUED',
      }),
      mail.insert,
    );
    messages.push(mail.message);
    outcomes.push({ email, kind: 'invited', invitation: { id, expiresAt } });
  }

  if (writes.length > 0) await db.batch(writes as unknown as [BatchItem<'sqlite'>]);
  return { ok: true, outcomes, messages };
}

// ---------------------------------------------------------------------------------------------------------------
// Reading invitations (batchable statements)

/**
 * A column written out with its table. In the select list of a one-table query drizzle leaves columns unqualified,
 * and inside a subquery an unqualified name binds to the inner table (`users.email = users.email`).
 */
function q(column: Column): SQL {
  return sql`${sql.identifier(getTableName(column.table))}.${sql.identifier(column.name)}`;
}

// Subqueries in the select list, with distinct aliases so rows survive D1's batch results (keyed by column name).
const projectKeyField = () =>
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

/** Everything the list row shows; names are distinct so the row survives D1's batch results. */
function rowSelect(db: Db) {
  return db
    .select({
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      projectId: invitations.projectId,
      usedAt: invitations.usedAt,
      revokedAt: invitations.revokedAt,
      expiresAt: invitations.expiresAt,
      createdAt: invitations.createdAt,
      deliveryState: invitations.deliveryState,
      deliveryError: invitations.deliveryError,
      projectKey: projectKeyField(),
      projectName: projectNameField(),
      senderName: senderNameField(),
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

/** Newest first, one page plus one row (to know whether there is more). `guard` is the caller's permission. */
export function listInvitations(db: Db, guard: SQL, before: ListCursor | null) {
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

export function invitationRowById(db: Db, guard: SQL, id: string) {
  return rowSelect(db)
    .where(and(guard, eq(invitations.id, id)))
    .limit(1);
}

/** Non-archived projects an invitation may point to. */
export function invitableProjects(db: Db, guard: SQL) {
  return db
    .select({ id: projects.id, key: projects.key, name: projects.name })
    .from(projects)
    .where(and(guard, isNull(projects.archivedAt)))
    .orderBy(projects.name)
    .limit(500);
}

// ---------------------------------------------------------------------------------------------------------------
// Resend and revoke

export interface ResendInput {
  invitation: Pick<Invitation, 'id' | 'email' | 'expiresAt'>;
  now: number;
  ttlMs: number;
  secret: string;
}

/** A fresh expiry, hence a fresh token (the old link stops working), and the email again. */
export async function resendInvitation(
  db: Db,
  { invitation, now, ttlMs, secret }: ResendInput,
): Promise<{ row: InvitationRow | undefined; messages: MailMessage[] }> {
  const expiresAt = renewedExpiry(now, ttlMs, invitation.expiresAt);
  const { tokenHash } = await tokenFor(secret, invitation.id, expiresAt);
  const mail = planMail(db, { type: 'invitation', id: invitation.id }, invitation.email, now);
  const [, , rows] = await db.batch([
    db
      .update(invitations)
      .set({ tokenHash, expiresAt, deliveryState: 'QUEUED', deliveryError: null })
      .where(and(eq(invitations.id, invitation.id), isOpen())),
    mail.insert,
    invitationRowById(db, sql`1 = 1`, invitation.id),
  ]);
  const row = rows[0];
  // Used or revoked in the meantime: the delivery row stays as a record, but no email goes out.
  const renewed = row !== undefined && row.expiresAt === expiresAt;
  return { row, messages: renewed ? [mail.message] : [] };
}

export async function revokeInvitation(db: Db, id: string, now: number): Promise<InvitationRow | undefined> {
  const [, rows] = await db.batch([
    db
      .update(invitations)
      .set({ revokedAt: now })
      .where(and(eq(invitations.id, id), isOpen())),
    invitationRowById(db, sql`1 = 1`, id),
  ]);
  return rows[0];
}

// ---------------------------------------------------------------------------------------------------------------
// Joining

/** The invitation behind a link, with what the join page shows. Empty for an unknown token. */
export function invitationByToken(db: Db, token: string) {
  return db
    .select({
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
      accountExists: accountExistsField(),
    })
    .from(invitations)
    .where(eq(invitations.tokenHash, hashToken(token)))
    .limit(1);
}

export type JoinInvitation = Awaited<ReturnType<typeof invitationByToken>>[number];

export interface JoinInput {
  invitationId: string;
  name: string;
  passwordHash: string;
  now: number;
}

export type JoinResult =
  | { ok: true; userId: string; sessionToken: string; projectKey: string | null }
  | { ok: false; reason: 'not_available' };

/**
 * Creates the user from the invitation (its email and role, never the posted ones), marks the invitation used,
 * adds the project membership and opens a session — one batch. Every statement is conditional on the previous one
 * having happened, so of two concurrent joins with one link exactly one creates a user; the other gets
 * `not_available`. (Foreign keys are checked at once, so the user row comes before the `used_by` that points to it.)
 */
/**
 * The SELECT list of an `INSERT ... SELECT` into `table`: every column in table order, taken from `values` (plain
 * values, columns of the source table, or SQL) or else the column's default. Built from the schema, so a column
 * added later gets its default instead of shifting the others.
 */
function insertRow<T extends SQLiteTable>(table: T, values: Partial<Record<keyof T['_']['columns'], unknown>>) {
  const fields: Record<string, SQL> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = key in values ? (values as Record<string, unknown>)[key] : (column.defaultFn?.() ?? column.default);
    if (is(value, SQL)) fields[key] = value;
    else if (is(value, Column)) fields[key] = q(value);
    else fields[key] = value === undefined || value === null ? sql`null` : sql`${sql.param(value, column)}`;
  }
  return fields;
}

/**
 * Creates the user from the invitation (its email and role, never the posted ones), marks the invitation used,
 * adds the project membership and opens a session — one batch. Every statement is conditional on the previous one
 * having happened, so of two concurrent joins with one link exactly one creates a user; the other gets
 * `not_available`. (Foreign keys are checked at once, so the user row comes before the `used_by` that points to it.)
 */
export async function joinAsNewUser(db: Db, { invitationId, name, passwordHash, now }: JoinInput): Promise<JoinResult> {
  const userId = crypto.randomUUID();
  const session = newSession(db, userId, now);
  const usedByThisJoin = and(eq(invitations.id, invitationId), eq(invitations.usedBy, userId));
  const [, , , , result] = await db.batch([
    db.insert(users).select(
      db
        .select(
          insertRow(users, {
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
    db
      .insert(projectMembers)
      .select(
        db
          .select(insertRow(projectMembers, { projectId: invitations.projectId, userId, addedAt: now }))
          .from(invitations)
          .where(and(usedByThisJoin, sql`${invitations.projectId} is not null`))
          .getSQL(),
      )
      .onConflictDoNothing(),
    db
      .insert(sessions)
      .select(db.select(insertRow(sessions, session.session)).from(invitations).where(usedByThisJoin).getSQL()),
    db
      .select({
        usedBy: invitations.usedBy,
        projectKey: projectKeyField(),
      })
      .from(invitations)
      .where(eq(invitations.id, invitationId)),
  ]);
  const row = result[0];
  if (!row || row.usedBy !== userId) return { ok: false, reason: 'not_available' };
  return { ok: true, userId, sessionToken: session.token, projectKey: row.projectKey };
}

export type AcceptResult = { ok: true; projectKey: string | null } | { ok: false; reason: 'not_available' };

/** A signed-in user takes an invitation sent to their own address: it is marked used and they join the project. */
export async function acceptAsExistingUser(
  db: Db,
  { invitationId, userId, email, now }: { invitationId: string; userId: string; email: string; now: number },
): Promise<AcceptResult> {
  const [, , result] = await db.batch([
    db
      .update(invitations)
      .set({ usedAt: now, usedBy: userId })
      .where(and(eq(invitations.id, invitationId), eq(invitations.email, email), isUsable(now))),
    db
      .insert(projectMembers)
      .select(
        db
          .select(insertRow(projectMembers, { projectId: invitations.projectId, userId, addedAt: now }))
          .from(invitations)
          .where(
            and(
              eq(invitations.id, invitationId),
              eq(invitations.usedBy, userId),
              eq(invitations.usedAt, now),
              sql`${invitations.projectId} is not null`,
            ),
          )
          .getSQL(),
      )
      .onConflictDoNothing(),
    db
      .select({
        usedBy: invitations.usedBy,
        usedAt: invitations.usedAt,
        projectKey: projectKeyField(),
      })
      .from(invitations)
      .where(eq(invitations.id, invitationId)),
  ]);
  const row = result[0];
  if (!row || row.usedBy !== userId || row.usedAt !== now) return { ok: false, reason: 'not_available' };
  return { ok: true, projectKey: row.projectKey };
}

// ---------------------------------------------------------------------------------------------------------------
// The first manager

export type BootstrapResult =
  | { outcome: 'created'; invitation: { id: string; expiresAt: number }; messages: MailMessage[] }
  | { outcome: 'pending'; invitation: { id: string; expiresAt: number } }
  | { outcome: 'users_exist' };

/**
 * On a database without users, invites `email` as a MANAGER through the same path as the invite form. Never once a
 * user exists; never while a usable invitation for the address is waiting (no automatic resend).
 */
export async function ensureBootstrapInvitation(
  db: Db,
  { email, now, ttlMs, secret }: { email: string; now: number; ttlMs: number; secret: string },
): Promise<BootstrapResult> {
  const address = email.trim().toLowerCase();
  const [anyUser, pending] = await db.batch([
    db.select({ id: users.id }).from(users).limit(1),
    db
      .select({ id: invitations.id, expiresAt: invitations.expiresAt })
      .from(invitations)
      .where(and(eq(invitations.email, address), eq(invitations.role, 'MANAGER'), isUsable(now)))
      .orderBy(desc(invitations.expiresAt))
      .limit(1),
  ]);
  if (anyUser.length > 0) return { outcome: 'users_exist' };
  if (pending[0]) return { outcome: 'pending', invitation: pending[0] };
  const result = await inviteByEmail(db, {
    emails: [address],
    role: 'MANAGER',
    projectId: null,
    senderId: null,
    now,
    ttlMs,
    secret,
  });
  const invitation = result.ok ? result.outcomes[0]?.invitation : undefined;
  if (!result.ok || !invitation) throw new Error('the bootstrap invitation was not created');
  return { outcome: 'created', invitation, messages: result.messages };
}
