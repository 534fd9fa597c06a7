/** Helpers for the mail tests: domain rows with their planned email, and queue batches through the real handler. */
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { vi } from 'vitest';
import worker from '../../../src/index';
import { comments, invitations, passwordResets, ticketEvents, tickets } from '../../../src/db/schema';
import type { Env } from '../../../src/env';
import { hashToken } from '../../../src/lib/crypto';
import { invitationToken, passwordResetToken } from '../../../src/lib/links';
import { MAIL_QUEUE_NAME } from '../../../src/mail/consumer';
import type { MailMessage } from '../../../src/mail/messages';
import { planMail, type MailRequest } from '../../../src/mail/producer';
import { createUser, testDb } from '../helpers';

export const DAY = 24 * 60 * 60 * 1000;

/** An env whose mail queue keeps what is sent to it (`sent`), for jobs that queue mail. */
export function recordingQueue() {
  const sent: MailMessage[] = [];
  const queue = {
    async send(body: MailMessage) {
      sent.push(body);
    },
    async sendBatch(items: { body: MailMessage }[]) {
      sent.push(...items.map((i) => i.body));
    },
  };
  return { sent, env: { ...env, MAIL_QUEUE: queue } as unknown as Env };
}

/** Writes the delivery row as a producer would and returns the message it would enqueue. */
/** Plans a delivery as a producer would; `now` is its `created_at` (later deliveries of a thing are newer ones). */
export async function planned(request: MailRequest, recipient: string, now = Date.now()): Promise<MailMessage> {
  const plan = planMail(testDb(), request, recipient, now);
  await plan.insert;
  return plan.message;
}

export async function createInvitation(
  overrides: Partial<typeof invitations.$inferInsert> = {},
): Promise<{ invitation: typeof invitations.$inferSelect; message: MailMessage }> {
  const sender = overrides.senderId === undefined ? await createUser({ role: 'MANAGER', name: 'Grace Hopper' }) : null;
  const id = overrides.id ?? crypto.randomUUID();
  const expiresAt = overrides.expiresAt ?? Date.now() + 7 * DAY;
  const token = await invitationToken(env.TOKEN_SECRET!, { id, expiresAt });
  const [invitation] = await testDb()
    .insert(invitations)
    .values({
      id,
      tokenHash: hashToken(token),
      email: `invitee-${crypto.randomUUID().slice(0, 8)}@example.com`,
      senderId: sender?.id ?? null,
      role: 'MEMBER',
      expiresAt,
      createdAt: Date.now(),
      ...overrides,
    })
    .returning();
  const message = await planned({ type: 'invitation', id }, invitation!.email);
  return { invitation: invitation!, message };
}

export async function createPasswordReset(overrides: Partial<typeof passwordResets.$inferInsert> = {}) {
  const user = await createUser({ name: 'Reset Person' });
  const id = crypto.randomUUID();
  const createdAt = Date.now();
  const token = await passwordResetToken(env.TOKEN_SECRET!, { id, createdAt });
  const [reset] = await testDb()
    .insert(passwordResets)
    .values({
      id,
      tokenHash: hashToken(token),
      userId: user.id,
      createdAt,
      expiresAt: createdAt + 3600_000,
      ...overrides,
    })
    .returning();
  const message = await planned({ type: 'password_reset', id }, user.email);
  return { user, reset: reset!, token, message };
}

export async function createTicket(projectId: string, title: string, number = 1) {
  const row = { id: crypto.randomUUID(), projectId, number, title, createdAt: Date.now(), updatedAt: Date.now() };
  await testDb().insert(tickets).values(row);
  return row;
}

let lastEventAt = 0;
/**
 * A change of `field` (status unless told), made at a time of its own: a save's changes share one time, so two
 * changes made here never read as one save unless `createdAt` says so.
 */
export async function createStatusEvent(
  ticketId: string,
  actorId: string | null,
  from: string,
  to: string,
  { field = 'status', createdAt }: { field?: string; createdAt?: number } = {},
) {
  lastEventAt = createdAt ?? Math.max(Date.now(), lastEventAt + 1);
  const row = {
    id: crypto.randomUUID(),
    ticketId,
    actorId,
    field,
    fromValue: from,
    toValue: to,
    createdAt: lastEventAt,
  };
  await testDb().insert(ticketEvents).values(row);
  return row;
}

export async function createComment(ticketId: string, authorId: string, body: string) {
  const row = { id: crypto.randomUUID(), ticketId, authorId, body, createdAt: Date.now() };
  await testDb().insert(comments).values(row);
  return row;
}

let sequence = 0;

/** Runs the Worker's queue handler on a batch of bodies (for the main queue unless told) and returns the result. */
export async function consume(bodies: unknown[], opts: { env?: Partial<Env>; queue?: string; attempts?: number } = {}) {
  const batch = createMessageBatch(
    opts.queue ?? MAIL_QUEUE_NAME,
    bodies.map((body) => ({ id: `msg-${++sequence}`, timestamp: new Date(), attempts: opts.attempts ?? 1, body })),
  );
  // getQueueResult() does not report delays: they are read from spies on retry().
  const retries = batch.messages.map((m) => vi.spyOn(m, 'retry'));
  const retryAll = vi.spyOn(batch, 'retryAll');
  const ctx = createExecutionContext();
  const runEnv = opts.env ? ({ ...env, ...opts.env } as Env) : env;
  await worker.queue(batch as MessageBatch<MailMessage>, runEnv, ctx);
  const result = await getQueueResult(batch, ctx);
  const delays = batch.messages.flatMap((m, i) =>
    retries[i]!.mock.calls.map((call) => ({ msgId: m.id, delaySeconds: call[0]?.delaySeconds })),
  );
  return { batch, result, delays, retryAllCalls: retryAll.mock.calls, ids: batch.messages.map((m) => m.id) };
}

/** The env for the HTTP transport against a fake provider. */
export const httpEnv: Partial<Env> = {
  MAIL_TRANSPORT: 'http',
  MAIL_API_KEY: 're_test_key',
  MAIL_API_URL: 'https://mail-provider.test/emails',
  MAIL_FROM: 'hticket <noreply@hticket.test>',
};
