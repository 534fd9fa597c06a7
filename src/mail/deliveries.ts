/**
 * @module mail/deliveries — the delivery row, the idempotency record of one email: what a queue message finds when it
 * is consumed, and the outcome of each attempt. Invitations mirror the state of their latest delivery.
 */
import { and, eq, exists, gt, ne, notExists, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db/database';
import { plan, type Plan, type Statement } from '../db/plan';
import { invitations, mailDeliveries, type DeliveryState, type MailDelivery } from '../db/schema';
import { mailFor, type PreparedMail } from './kinds';
import type { MailMessage } from './messages';

export type LoadedMail =
  | { ok: true; delivery: MailDelivery; mail: Extract<PreparedMail, { ok: true }> }
  /** `delivery` is absent when its row is gone; `skip` is set when the email should not be sent any more. */
  | { ok: false; delivery: MailDelivery | undefined; reason: 'no_delivery' | 'already_done' }
  | { ok: false; delivery: MailDelivery; reason: 'skip'; skip: string };

const selectDelivery = (db: Db, id: string) =>
  db.select().from(mailDeliveries).where(eq(mailDeliveries.id, id)).limit(1);

export function readDelivery(id: string) {
  return plan(
    (db) => [selectDelivery(db, id)] as const,
    ([[delivery]]) => delivery,
  );
}

/** The delivery and what its message refers to, in one round trip, and whether to send. */
export function loadMail(message: MailMessage, now: number): Plan<LoadedMail> {
  const prepared = mailFor(message, now);
  return {
    build: (db, me) => [selectDelivery(db, message.deliveryId), ...prepared.build(db, me)],
    read([deliveries, ...rest]) {
      const delivery = (deliveries as MailDelivery[])[0];
      if (!delivery) return { ok: false, delivery, reason: 'no_delivery' };
      // SENT is the idempotency check; FAILED and SKIPPED are final too (a resend plans a new delivery).
      if (delivery.status !== 'QUEUED') return { ok: false, delivery, reason: 'already_done' };
      const mail = prepared.read(rest);
      if (!mail.ok) return { ok: false, delivery, reason: 'skip', skip: mail.skip };
      return { ok: true, delivery, mail };
    },
  };
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

export type Outcome =
  | { status: 'SENT'; composed: Composed; providerId: string | null; at: number }
  /** A transient failure: the queue will retry; the delivery stays QUEUED with the error shown. */
  | { status: 'RETRYING'; composed: Composed | null; error: string }
  /** A permanent failure (or the dead-letter queue giving up): final, shown as "email failed". */
  | { status: 'FAILED'; composed: Composed | null; error: string; attempted: boolean }
  /** What the email was about is no longer valid: nothing is sent and the domain row is left as it is. */
  | { status: 'SKIPPED'; reason: string };

const attemptedOnce = { attempts: sql`${mailDeliveries.attempts} + 1` };

/** The delivery's new values, the condition it moves under, and what its invitation (if any) shows. */
function transition(outcome: Outcome, id: string) {
  const stillQueued = and(eq(mailDeliveries.id, id), eq(mailDeliveries.status, 'QUEUED'))!;
  switch (outcome.status) {
    case 'SENT': {
      const { composed, providerId, at } = outcome;
      return {
        // A FAILED never overwrites a SENT, but a late success does replace a failure.
        when: and(eq(mailDeliveries.id, id), ne(mailDeliveries.status, 'SENT'))!,
        set: { status: 'SENT', ...attemptedOnce, lastError: null, providerId, ...composed, sentAt: at },
        invitation: { state: 'SENT', error: null },
      } as const;
    }
    case 'RETRYING':
      return {
        when: stillQueued,
        set: { ...attemptedOnce, lastError: outcome.error, ...outcome.composed },
        invitation: { state: 'QUEUED', error: `retrying: ${outcome.error}` },
      } as const;
    case 'FAILED':
      return {
        when: stillQueued,
        set: {
          status: 'FAILED',
          ...(outcome.attempted ? attemptedOnce : {}),
          lastError: outcome.error,
          ...outcome.composed,
        },
        invitation: { state: 'FAILED', error: outcome.error },
      } as const;
    case 'SKIPPED':
      // The invitation's own status (used, revoked, expired) says more than "skipped".
      return {
        when: stillQueued,
        set: { status: 'SKIPPED' as const, lastError: `not sent: ${outcome.reason}` },
        invitation: null,
      };
  }
}

/** Records an attempt's outcome on the delivery, and on its invitation in the same batch. */
export function recordOutcome(delivery: MailDelivery, outcome: Outcome): Plan<void> {
  const { when, set, invitation } = transition(outcome, delivery.id);
  return {
    build: (db) => [
      // The invitation first, while the delivery's own condition still holds: the batch is atomic and in order.
      ...(invitation && delivery.kind === 'invitation'
        ? [syncInvitation(db, delivery, invitation.state, invitation.error, when)]
        : []),
      db.update(mailDeliveries).set(set).where(when),
    ],
    read: () => undefined,
  };
}

const laterDelivery = alias(mailDeliveries, 'later');

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
): Statement {
  return db
    .update(invitations)
    .set({ deliveryState: state, deliveryError: error })
    .where(
      and(
        eq(invitations.id, delivery.refId),
        exists(
          db
            .select({ one: sql`1` })
            .from(mailDeliveries)
            .where(when),
        ),
        notExists(
          db
            .select({ one: sql`1` })
            .from(laterDelivery)
            .where(
              and(
                eq(laterDelivery.kind, 'invitation'),
                eq(laterDelivery.refId, delivery.refId),
                gt(laterDelivery.createdAt, delivery.createdAt),
              ),
            ),
        ),
      ),
    );
}
