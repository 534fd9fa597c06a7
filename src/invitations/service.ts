/**
 * @module invitations/service — inviting by email, resending, revoking, and the first manager's invitation.
 * Functions take a Db and plain values, so routes, the bootstrap and tests share them.
 */
import { and, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { normalizeEmail } from '../auth/fields';
import type { Db } from '../db/client';
import {
  formSubmissions,
  invitations,
  MANAGER,
  projectMembers,
  projects,
  users,
  type Invitation,
  type Role,
} from '../db/schema';
import { readFormKey } from '../db/form-keys';
import { plan, runPlan } from '../db/plan';
import { hashToken } from '../lib/crypto';
import { invitationToken, joinUrl } from '../lib/links';
import type { MailMessage } from '../mail/messages';
import { planMail } from '../mail/producer';
import { isOpen, isUsable } from '../auth/invitations';
import { invitationRowById, type InvitationRow } from './queries';

export const DAY_MS = 24 * 60 * 60 * 1000;

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

export interface InviteInput {
  /** Lower-case, distinct addresses (see `parseEmailList`). */
  emails: readonly string[];
  role: Role;
  projectId: string | null;
  senderId: string | null;
  now: number;
  ttlMs: number;
  secret: string;
  /** The form's key (see db/form-keys): a repeat of the same form answers with the first one's outcomes. */
  formKey?: string | undefined;
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

/** What already exists for these addresses: the form's earlier answer, accounts, open invitations, membership. */
function readInviteState(emails: readonly string[], projectId: string | null, sender: SQL, formKey: string) {
  return plan(
    (db) =>
      [
        readFormKey(db, sender, formKey),
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
          .where(and(projectId === null ? sql`false` : eq(projects.id, projectId), isNull(projects.archivedAt))),
        db
          .select({ userId: projectMembers.userId })
          .from(projectMembers)
          .where(
            and(
              projectId === null ? sql`false` : eq(projectMembers.projectId, projectId),
              inArray(
                projectMembers.userId,
                db
                  .select({ id: users.id })
                  .from(users)
                  .where(inArray(users.email, [...emails])),
              ),
            ),
          ),
      ] as const,
    ([earlier, existingUsers, openInvitations, projectRows, memberRows]) => {
      const openByEmail = new Map<string, { id: string; expiresAt: number }>();
      for (const inv of openInvitations) if (!openByEmail.has(inv.email)) openByEmail.set(inv.email, inv);
      return {
        earlier: earlier[0]?.result,
        projectAvailable: projectRows.length > 0,
        userByEmail: new Map(existingUsers.map((u) => [u.email, u.id])),
        members: new Set(memberRows.map((m) => m.userId)),
        openByEmail,
      };
    },
  );
}

/** One address's write, decided from what exists (tokens are derived before the batch is built). */
type InviteWrite =
  | { kind: 'add'; email: string; userId: string; projectId: string }
  | { kind: 'renew' | 'create'; email: string; id: string; tokenHash: string; expiresAt: number };

/** The writes of one submission in one batch, the form's claim first; answers the messages to queue. */
function writeInvitations(
  writes: readonly InviteWrite[],
  input: Pick<InviteInput, 'role' | 'projectId' | 'senderId' | 'now'>,
  claim: { key: string; result: string } | null,
) {
  const { role, projectId, senderId, now } = input;
  const messages: MailMessage[] = [];
  return plan(
    (db) => {
      const statements: BatchItem<'sqlite'>[] = [];
      // The claim has no ON CONFLICT: when a concurrent submit of the same form got there first, the batch fails as
      // a whole (a batch is one transaction) and this submit answers as that one did.
      if (claim && senderId) {
        statements.push(
          db.insert(formSubmissions).values({ userId: senderId, key: claim.key, result: claim.result, createdAt: now }),
        );
      }
      for (const write of writes) {
        if (write.kind === 'add') {
          const mail = planMail(
            db,
            { type: 'added_to_project', id: write.userId, projectId: write.projectId },
            write.email,
            now,
          );
          statements.push(
            db
              .insert(projectMembers)
              .values({ projectId: write.projectId, userId: write.userId, addedAt: now })
              .onConflictDoNothing(),
            mail.insert,
          );
          messages.push(mail.message);
          continue;
        }
        const { id, email, tokenHash, expiresAt } = write;
        const mail = planMail(db, { type: 'invitation', id }, email, now);
        statements.push(
          write.kind === 'renew'
            ? db
                .update(invitations)
                .set({ tokenHash, expiresAt, role, senderId, deliveryState: 'QUEUED', deliveryError: null })
                .where(and(eq(invitations.id, id), isOpen()))
            : db.insert(invitations).values({
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
      }
      return statements as unknown as readonly [BatchItem<'sqlite'>];
    },
    () => messages,
  );
}

function readEarlierAnswer(sender: SQL, formKey: string) {
  return plan(
    (db) => [readFormKey(db, sender, formKey)] as const,
    ([rows]) => rows[0]?.result,
  );
}

/**
 * Invites each address: existing accounts are never duplicated or changed (they are only added to the project),
 * and an address keeps at most one open invitation per project, renewed instead of piled up.
 * Two round trips: one read of what exists, then one batch of writes.
 */
export async function inviteByEmail(db: Db, input: InviteInput): Promise<InviteResult> {
  const { emails, projectId, senderId, now, ttlMs, secret, formKey } = input;
  if (emails.length === 0) return { ok: true, outcomes: [], messages: [] };
  const sender = sql`${senderId}`;
  const state = await runPlan(db, readInviteState(emails, projectId, sender, formKey ?? ''));
  if (state.earlier !== undefined) return repeated(state.earlier);
  if (projectId !== null && !state.projectAvailable) return { ok: false, reason: 'project_unavailable' };

  const writes: InviteWrite[] = [];
  const outcomes: InviteOutcome[] = [];
  for (const email of emails) {
    const userId = state.userByEmail.get(email);
    if (userId !== undefined) {
      if (projectId === null) outcomes.push({ email, kind: 'account' });
      else if (state.members.has(userId)) outcomes.push({ email, kind: 'member' });
      else {
        writes.push({ kind: 'add', email, userId, projectId });
        outcomes.push({ email, kind: 'added' });
      }
      continue;
    }
    const open = state.openByEmail.get(email);
    const id = open?.id ?? crypto.randomUUID();
    const expiresAt = open ? renewedExpiry(now, ttlMs, open.expiresAt) : now + ttlMs;
    const { tokenHash } = await tokenFor(secret, id, expiresAt);
    writes.push({ kind: open ? 'renew' : 'create', email, id, tokenHash, expiresAt });
    outcomes.push({ email, kind: open ? 'resent' : 'invited', invitation: { id, expiresAt } });
  }

  const summary = JSON.stringify(outcomes.map(({ email, kind }) => ({ email, kind })));
  const claim = formKey ? { key: formKey, result: summary } : null;
  try {
    const messages = await runPlan(db, writeInvitations(writes, input, claim));
    return { ok: true, outcomes, messages };
  } catch (err) {
    if (!formKey) throw err;
    if (!/form_submissions/i.test(String(err instanceof Error ? `${err.message} ${String(err.cause)}` : err)))
      throw err;
    const again = await runPlan(db, readEarlierAnswer(sender, formKey));
    if (again === undefined) throw err;
    return repeated(again);
  }
}

/** The answer of a repeated form: the first submit's outcomes, and nothing sent again. */
function repeated(summary: string): InviteResult {
  const outcomes = JSON.parse(summary) as InviteOutcome[];
  return { ok: true, outcomes, messages: [] };
}

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
  return runPlan(db, renewInvitation(invitation, { tokenHash, expiresAt, now }));
}

function renewInvitation(
  invitation: Pick<Invitation, 'id' | 'email'>,
  renewed: { tokenHash: string; expiresAt: number; now: number },
) {
  const { tokenHash, expiresAt, now } = renewed;
  // Made when the statements are built (planMail needs the builder), read once the batch has answered.
  let message: MailMessage | undefined;
  return plan(
    (db) => {
      const mail = planMail(db, { type: 'invitation', id: invitation.id }, invitation.email, now);
      message = mail.message;
      return [
        db
          .update(invitations)
          .set({ tokenHash, expiresAt, deliveryState: 'QUEUED', deliveryError: null })
          .where(and(eq(invitations.id, invitation.id), isOpen())),
        mail.insert,
        invitationRowById(db, invitation.id),
      ] as const;
    },
    ([, , rows]) => {
      const row = rows[0];
      // Used or revoked in the meantime: the delivery row stays as a record, but no email goes out.
      const sent = row !== undefined && row.expiresAt === expiresAt && message !== undefined;
      return { row, messages: sent ? [message!] : [] };
    },
  );
}

/** Revokes the invitation if it is still open; answers its row as it is now. */
export function revokeInvitation(id: string, now: number) {
  return plan(
    (db) =>
      [
        db
          .update(invitations)
          .set({ revokedAt: now })
          .where(and(eq(invitations.id, id), isOpen())),
        invitationRowById(db, id),
      ] as const,
    ([, rows]): InvitationRow | undefined => rows[0],
  );
}

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
  const address = normalizeEmail(email);
  const { anyUser, pending } = await runPlan(
    db,
    plan(
      (db) =>
        [
          db.select({ id: users.id }).from(users).limit(1),
          db
            .select({ id: invitations.id, expiresAt: invitations.expiresAt })
            .from(invitations)
            .where(and(eq(invitations.email, address), eq(invitations.role, MANAGER), isUsable(now)))
            .orderBy(desc(invitations.expiresAt))
            .limit(1),
        ] as const,
      ([users, invitations]) => ({ anyUser: users.length > 0, pending: invitations[0] }),
    ),
  );
  if (anyUser) return { outcome: 'users_exist' };
  if (pending) return { outcome: 'pending', invitation: pending };
  const result = await inviteByEmail(db, {
    emails: [address],
    role: MANAGER,
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
