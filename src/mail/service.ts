/**
 * @module mail/service — what the consumer reads and writes: the delivery and what its message refers to (one batch),
 * and the outcome of each attempt. `mail_deliveries` is the idempotency record; invitations mirror its state.
 */
import { and, desc, eq, ne, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../db/client';
import {
  comments,
  invitations,
  mailDeliveries,
  passwordResets,
  projectMembers,
  projects,
  ticketEvents,
  tickets,
  users,
  type DeliveryState,
  type MailDelivery,
  type Role,
} from '../db/schema';
import type { Config } from '../env';
import { tokensEqual } from '../lib/crypto';
import type { MailMessage } from './messages';

/** Everything a template needs; read fresh when the message is consumed, never carried in the message. */
export type MailContent =
  | {
      type: 'invitation';
      to: string;
      invitation: { id: string; expiresAt: number; role: Role };
      senderName: string | null;
      project: { name: string; key: string } | null;
    }
  | {
      type: 'password_reset';
      to: string;
      userName: string;
      reset: { id: string; createdAt: number; expiresAt: number };
    }
  | { type: 'added_to_project'; to: string; userName: string; project: { name: string; key: string } }
  | {
      type: 'ticket_status';
      to: string;
      recipientName: string;
      ticket: TicketRef;
      actorName: string | null;
      field: string;
      from: string | null;
      toValue: string | null;
    }
  | {
      type: 'ticket_comment';
      to: string;
      recipientName: string;
      ticket: TicketRef;
      authorName: string | null;
      body: string;
    };

export interface TicketRef {
  projectKey: string;
  number: number;
  title: string;
}

export type LoadedMail =
  | { ok: true; delivery: MailDelivery; content: MailContent }
  /** `delivery` is absent when its row is gone; `skip` is set when the email should not be sent any more. */
  | { ok: false; delivery: MailDelivery | undefined; reason: 'no_delivery' | 'already_done' }
  | { ok: false; delivery: MailDelivery; reason: 'skip'; skip: string };

/** D1 keys batch rows by column name, so joined columns that share a name get their own. */
const as = <T>(column: SQLWrapper, alias: string) => sql<T>`${column}`.as(alias);

/** Reads the delivery and what the message refers to, in one batch, and decides whether to send. */
export async function loadMail(db: Db, message: MailMessage, now: number): Promise<LoadedMail> {
  const deliveryRead = db.select().from(mailDeliveries).where(eq(mailDeliveries.id, message.deliveryId)).limit(1);
  switch (message.type) {
    case 'invitation': {
      const [deliveries, rows] = await db.batch([
        deliveryRead,
        db
          .select({
            id: invitations.id,
            email: invitations.email,
            role: invitations.role,
            usedAt: invitations.usedAt,
            revokedAt: invitations.revokedAt,
            expiresAt: invitations.expiresAt,
            senderName: as<string | null>(users.name, 'sender_name'),
            projectName: as<string | null>(projects.name, 'project_name'),
            projectKey: as<string | null>(projects.key, 'project_key'),
          })
          .from(invitations)
          .leftJoin(users, eq(users.id, invitations.senderId))
          .leftJoin(projects, eq(projects.id, invitations.projectId))
          .where(eq(invitations.id, message.id))
          .limit(1),
      ]);
      return decide(deliveries[0], () => {
        const row = rows[0];
        if (!row) return 'the invitation no longer exists';
        if (row.usedAt !== null) return 'the invitation was already used';
        if (row.revokedAt !== null) return 'the invitation was revoked';
        if (row.expiresAt <= now) return 'the invitation has expired';
        return {
          type: 'invitation',
          to: row.email,
          invitation: { id: row.id, expiresAt: row.expiresAt, role: row.role },
          senderName: row.senderName,
          project:
            row.projectName !== null && row.projectKey !== null ? { name: row.projectName, key: row.projectKey } : null,
        };
      });
    }
    case 'password_reset': {
      const [deliveries, rows] = await db.batch([
        deliveryRead,
        db
          .select({
            id: passwordResets.id,
            createdAt: passwordResets.createdAt,
            expiresAt: passwordResets.expiresAt,
            usedAt: passwordResets.usedAt,
            email: users.email,
            name: users.name,
            disabledAt: users.disabledAt,
          })
          .from(passwordResets)
          .innerJoin(users, eq(users.id, passwordResets.userId))
          .where(eq(passwordResets.id, message.id))
          .limit(1),
      ]);
      return decide(deliveries[0], () => {
        const row = rows[0];
        if (!row) return 'the password reset no longer exists';
        if (row.usedAt !== null) return 'the password reset was already used';
        if (row.expiresAt <= now) return 'the password reset has expired';
        if (row.disabledAt !== null) return 'the account is disabled';
        return {
          type: 'password_reset',
          to: row.email,
          userName: row.name,
          reset: { id: row.id, createdAt: row.createdAt, expiresAt: row.expiresAt },
        };
      });
    }
    case 'added_to_project': {
      const [deliveries, rows] = await db.batch([
        deliveryRead,
        db
          .select({
            email: users.email,
            userName: as<string>(users.name, 'user_name'),
            disabledAt: users.disabledAt,
            projectName: as<string>(projects.name, 'project_name'),
            projectKey: projects.key,
            archivedAt: projects.archivedAt,
            isMember: isMember(message.projectId, message.id),
          })
          .from(users)
          .innerJoin(projects, eq(projects.id, message.projectId))
          .where(eq(users.id, message.id))
          .limit(1),
      ]);
      return decide(deliveries[0], () => {
        const row = rows[0];
        if (!row) return 'the user or the project no longer exists';
        if (row.disabledAt !== null) return 'the account is disabled';
        if (row.archivedAt !== null) return 'the project is archived';
        if (!row.isMember) return 'the user is no longer a member of the project';
        return {
          type: 'added_to_project',
          to: row.email,
          userName: row.userName,
          project: { name: row.projectName, key: row.projectKey },
        };
      });
    }
    case 'ticket_activity': {
      const recipientRead = db
        .select({
          id: users.id,
          email: users.email,
          name: users.name,
          role: users.role,
          notifyEmail: users.notifyEmail,
          disabledAt: users.disabledAt,
        })
        .from(users)
        .where(eq(users.id, message.recipientId))
        .limit(1);
      const ticketFields = {
        title: tickets.title,
        number: tickets.number,
        projectKey: as<string>(projects.key, 'project_key'),
        recipientIsMember: isMember(tickets.projectId, message.recipientId),
      };
      if (message.kind === 'status') {
        const [deliveries, recipients, rows] = await db.batch([
          deliveryRead,
          recipientRead,
          db
            .select({
              ...ticketFields,
              actorId: ticketEvents.actorId,
              actorName: as<string | null>(users.name, 'actor_name'),
              field: ticketEvents.field,
              fromValue: ticketEvents.fromValue,
              toValue: ticketEvents.toValue,
            })
            .from(ticketEvents)
            .innerJoin(tickets, eq(tickets.id, ticketEvents.ticketId))
            .innerJoin(projects, eq(projects.id, tickets.projectId))
            .leftJoin(users, eq(users.id, ticketEvents.actorId))
            .where(eq(ticketEvents.id, message.id))
            .limit(1),
        ]);
        return decide(deliveries[0], () => {
          const row = rows[0];
          if (!row) return 'the ticket change no longer exists';
          const recipient = recipients[0];
          const refusal = recipientRefusal(recipient, row.recipientIsMember, row.actorId);
          if (refusal || !recipient) return refusal ?? 'the recipient no longer exists';
          return {
            type: 'ticket_status',
            to: recipient.email,
            recipientName: recipient.name,
            ticket: { projectKey: row.projectKey, number: row.number, title: row.title },
            actorName: row.actorName,
            field: row.field,
            from: row.fromValue,
            toValue: row.toValue,
          };
        });
      }
      const [deliveries, recipients, rows] = await db.batch([
        deliveryRead,
        recipientRead,
        db
          .select({
            ...ticketFields,
            authorId: comments.authorId,
            authorName: as<string | null>(users.name, 'author_name'),
            body: comments.body,
          })
          .from(comments)
          .innerJoin(tickets, eq(tickets.id, comments.ticketId))
          .innerJoin(projects, eq(projects.id, tickets.projectId))
          .leftJoin(users, eq(users.id, comments.authorId))
          .where(eq(comments.id, message.id))
          .limit(1),
      ]);
      return decide(deliveries[0], () => {
        const row = rows[0];
        if (!row) return 'the comment no longer exists';
        const recipient = recipients[0];
        const refusal = recipientRefusal(recipient, row.recipientIsMember, row.authorId);
        if (refusal || !recipient) return refusal ?? 'the recipient no longer exists';
        return {
          type: 'ticket_comment',
          to: recipient.email,
          recipientName: recipient.name,
          ticket: { projectKey: row.projectKey, number: row.number, title: row.title },
          authorName: row.authorName,
          body: row.body,
        };
      });
    }
  }
}

function isMember(projectId: SQLWrapper | string, userId: string) {
  return sql<number>`exists (select 1 from ${projectMembers} where ${projectMembers.projectId} = ${projectId} and ${projectMembers.userId} = ${userId})`
    .mapWith((v) => Boolean(Number(v)))
    .as('recipient_is_member');
}

function recipientRefusal(
  recipient: { id: string; role: Role; notifyEmail: boolean; disabledAt: number | null } | undefined,
  isProjectMember: boolean,
  actorId: string | null,
): string | null {
  if (!recipient) return 'the recipient no longer exists';
  if (recipient.disabledAt !== null) return 'the recipient is disabled';
  if (!recipient.notifyEmail) return 'the recipient turned email notifications off';
  if (recipient.id === actorId) return 'the recipient made the change';
  if (recipient.role !== 'MANAGER' && !isProjectMember) return 'the recipient can no longer see the project';
  return null;
}

function decide(delivery: MailDelivery | undefined, check: () => MailContent | string): LoadedMail {
  if (!delivery) return { ok: false, delivery, reason: 'no_delivery' };
  // SENT is the idempotency check; FAILED and SKIPPED are final too (a resend plans a new delivery).
  if (delivery.status !== 'QUEUED') return { ok: false, delivery, reason: 'already_done' };
  const content = check();
  if (typeof content === 'string') return { ok: false, delivery, reason: 'skip', skip: content };
  return { ok: true, delivery, content };
}

/**
 * What was composed, kept for the outbox: `recipient` is the address actually used (read fresh from the domain row);
 * `textBody` is null where bodies are not kept (production).
 */
export interface Composed {
  recipient: string;
  subject: string;
  textBody: string | null;
}

const stillQueued = (id: string) => and(eq(mailDeliveries.id, id), eq(mailDeliveries.status, 'QUEUED'));

export async function recordSent(
  db: Db,
  delivery: MailDelivery,
  composed: Composed,
  providerId: string | null,
  now: number,
): Promise<void> {
  const notSent = and(eq(mailDeliveries.id, delivery.id), ne(mailDeliveries.status, 'SENT'))!;
  await runBatch(db, [
    // The invitation first, while the delivery's own condition still holds: the batch is atomic and in order.
    ...syncInvitation(db, delivery, 'SENT', null, notSent),
    db
      .update(mailDeliveries)
      .set({
        status: 'SENT',
        attempts: sql`${mailDeliveries.attempts} + 1`,
        lastError: null,
        providerId,
        ...composed,
        sentAt: now,
      })
      .where(notSent),
  ]);
}

/** A transient failure: the queue will retry; the delivery stays QUEUED with the error shown. */
export async function recordRetry(db: Db, delivery: MailDelivery, composed: Composed | null, error: string) {
  await runBatch(db, [
    ...syncInvitation(db, delivery, 'QUEUED', `retrying: ${error}`, stillQueued(delivery.id)!),
    db
      .update(mailDeliveries)
      .set({ attempts: sql`${mailDeliveries.attempts} + 1`, lastError: error, ...composed })
      .where(stillQueued(delivery.id)),
  ]);
}

/** A permanent failure (or the dead-letter queue giving up): final, shown as "email failed". */
export async function recordFailed(
  db: Db,
  delivery: MailDelivery,
  composed: Composed | null,
  error: string,
  attempted: boolean,
) {
  await runBatch(db, [
    ...syncInvitation(db, delivery, 'FAILED', error, stillQueued(delivery.id)!),
    db
      .update(mailDeliveries)
      .set({
        status: 'FAILED',
        lastError: error,
        ...(attempted ? { attempts: sql`${mailDeliveries.attempts} + 1` } : {}),
        ...composed,
      })
      .where(stillQueued(delivery.id)),
  ]);
}

/** What the email was about is no longer valid: nothing is sent and the domain row is left as it is. */
export async function recordSkipped(db: Db, delivery: MailDelivery, reason: string) {
  await db
    .update(mailDeliveries)
    .set({ status: 'SKIPPED', lastError: `not sent: ${reason}` })
    .where(stillQueued(delivery.id));
}

export async function findDelivery(db: Db, id: string): Promise<MailDelivery | undefined> {
  const rows = await db.select().from(mailDeliveries).where(eq(mailDeliveries.id, id)).limit(1);
  return rows[0];
}

/**
 * The invitation shows the state of its latest email only: an older delivery failing after a resend went out
 * must not mark the invitation "email failed". `when` is the delivery's own transition condition.
 */
function syncInvitation(
  db: Db,
  delivery: MailDelivery,
  state: DeliveryState,
  error: string | null,
  when: SQL,
): BatchItem<'sqlite'>[] {
  if (delivery.kind !== 'invitation') return [];
  return [
    db
      .update(invitations)
      .set({ deliveryState: state, deliveryError: error })
      .where(
        and(
          eq(invitations.id, delivery.refId),
          sql`exists (select 1 from ${mailDeliveries} where ${when})`,
          sql`not exists (select 1 from mail_deliveries as later where later.kind = 'invitation' and later.ref_id = ${delivery.refId} and later.created_at > ${delivery.createdAt})`,
        ),
      ),
  ];
}

function runBatch(db: Db, statements: BatchItem<'sqlite'>[]) {
  return db.batch(statements as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
}

export const OUTBOX_SIZE = 50;

/** The last emails, newest first, for the development outbox. */
export function listOutbox(db: Db, limit = OUTBOX_SIZE) {
  return db.select().from(mailDeliveries).orderBy(desc(mailDeliveries.createdAt), desc(mailDeliveries.id)).limit(limit);
}

/** Hosts that only the machine itself (or a test) can reach. */
const PRIVATE_HOST = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]|[a-z0-9.-]+\.(test|localhost))$/;

/**
 * Outside production the consumer keeps each email's text (links included) for the `/dev/mail` outbox. A production
 * database never holds a reset or join link in clear text, whatever the transport. The origin must be a private host
 * too: a deployment that kept the local `ENVIRONMENT=development` by mistake still exposes no outbox.
 */
export function outboxEnabled(config: Pick<Config, 'ENVIRONMENT' | 'APP_ORIGIN'>): boolean {
  const local = config.ENVIRONMENT === 'development' || config.ENVIRONMENT === 'test';
  return local && PRIVATE_HOST.test(new URL(config.APP_ORIGIN).hostname);
}

/** The outbox needs the run's key; without one configured there is no outbox at all. */
export function outboxKeyMatches(config: Pick<Config, 'DEV_OUTBOX_KEY'>, given: string | undefined): boolean {
  return config.DEV_OUTBOX_KEY !== undefined && given !== undefined && tokensEqual(given, config.DEV_OUTBOX_KEY);
}

export function outboxPath(key: string): string {
  return `/dev/mail?key=${encodeURIComponent(key)}`;
}
