/**
 * @module mail/producer — how every feature sends an email: a `mail_deliveries` row written in the same batch as
 * the domain change, then a small message on the queue. The page never waits for the email provider.
 */
import type { Db } from '../db/client';
import { mailDeliveries } from '../db/schema';
import type { Env } from '../env';
import type { SQLWrapper } from 'drizzle-orm';
import { dialectOf } from '../db/dialects';
import { insertSelectFields } from '../db/insert-select';
import { mailMessageSchema, type MailMessage, type PasswordResetRequest } from './messages';

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;
export type MailRequest = DistributiveOmit<MailMessage, 'deliveryId'>;

export interface PlannedMail {
  message: MailMessage;
  /** Put this statement in the batch that makes the domain change. */
  insert: ReturnType<typeof insertDelivery>;
}

function insertDelivery(db: Db, id: string, request: MailRequest, recipient: string, now: number) {
  return db.insert(mailDeliveries).values({
    id,
    kind: request.type,
    refId: request.id,
    recipient,
    status: 'QUEUED',
    createdAt: now,
    message: deliveryMessage(request),
  });
}

/** What `mail_deliveries.message` keeps: the queue message without its deliveryId (the row's own id). */
export function deliveryMessage(request: MailRequest): string {
  return JSON.stringify(request);
}

/** Plans one email: the delivery row (the idempotency record) and the message that refers to it. */
export function planMail(db: Db, request: MailRequest, recipient: string, now: number): PlannedMail {
  const deliveryId = crypto.randomUUID();
  return {
    message: { ...request, deliveryId } as MailMessage,
    insert: insertDelivery(db, deliveryId, request, recipient, now),
  };
}

/** Sends the planned messages to the queue after the batch has committed. */
export async function enqueueMail(env: Pick<Env, 'MAIL_QUEUE'>, messages: readonly MailMessage[]): Promise<void> {
  if (messages.length === 0) return;
  if (messages.length === 1) await env.MAIL_QUEUE.send(messages[0]!, { contentType: 'json' });
  else await env.MAIL_QUEUE.sendBatch(messages.map((body) => ({ body, contentType: 'json' as const })));
}

/** A password reset request goes to the queue as it is: nothing is written before the consumer looks the address up. */
export async function enqueuePasswordResetRequest(env: Pick<Env, 'MAIL_QUEUE'>, email: string): Promise<void> {
  const request: PasswordResetRequest = {
    type: 'password_reset_request',
    email,
    id: crypto.randomUUID(),
    deliveryId: crypto.randomUUID(),
  };
  await (env.MAIL_QUEUE as Queue<unknown>).send(request, { contentType: 'json' });
}

/**
 * The columns of delivery rows planned by `INSERT … SELECT` (many at once, ids made by the database): queued `now`,
 * keeping `message`, the queue message without its deliveryId, for the outbox sweep (see `deliveryMessage`).
 */
export function deliveryFields(
  db: Db,
  f: {
    kind: string;
    refId: SQLWrapper;
    recipient: SQLWrapper;
    now: number;
    message: Record<string, SQLWrapper | string>;
  },
) {
  const { jsonObject, randomUuid } = dialectOf(db);
  return insertSelectFields(mailDeliveries, {
    id: randomUuid(),
    kind: f.kind,
    refId: f.refId,
    recipient: f.recipient,
    status: 'QUEUED',
    createdAt: f.now,
    message: jsonObject(f.message),
  });
}

/** The queue messages of delivery rows read back with their stored message; a malformed one is left out. */
export function storedMessages(rows: readonly { id: string; message: string | null }[]): MailMessage[] {
  return rows.flatMap((row) => {
    try {
      const parsed = mailMessageSchema.safeParse({ ...JSON.parse(row.message ?? 'null'), deliveryId: row.id });
      return parsed.success ? [parsed.data] : [];
    } catch {
      return [];
    }
  });
}
