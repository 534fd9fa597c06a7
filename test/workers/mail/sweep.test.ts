import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { comments, mailDeliveries } from '../../../src/db/schema';
import type { Env } from '../../../src/env';
import worker from '../../../src/index';
import { SWEEP_AFTER_MS, SWEEP_BATCH } from '../../../src/mail/sweep';
import { JOBS } from '../../../src/scheduled';
import { makeProject, member } from '../fixtures';
import { ORIGIN, testDb } from '../helpers';
import { fileTicket } from '../tickets/fixtures';
import { consume, planned } from './mail-helpers';

afterEach(() => {
  vi.restoreAllMocks();
});

/** A queue binding that records what is sent, or throws like a Worker dying between the commit and the send. */
function recordingQueue(opts: { throws?: boolean } = {}) {
  const sent: unknown[] = [];
  const calls: number[] = [];
  const queue = {
    async send(body: unknown) {
      if (opts.throws) throw new Error('the queue is gone');
      calls.push(1);
      sent.push(body);
    },
    async sendBatch(items: { body: unknown }[]) {
      if (opts.throws) throw new Error('the queue is gone');
      calls.push(items.length);
      sent.push(...items.map((i) => i.body));
    },
  };
  return { sent, calls, env: { ...env, MAIL_QUEUE: queue } as unknown as Env };
}

async function runScheduled(runEnv: Env, at: number) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: new Date(at), cron: '*/10 * * * *' }), runEnv, ctx);
  await waitOnExecutionContext(ctx);
}

async function deliveriesOf(refId: string) {
  return testDb().select().from(mailDeliveries).where(eq(mailDeliveries.refId, refId));
}

describe('the outbox sweep', () => {
  it('sends, exactly once, the email whose queue message was lost between the commit and the send', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => void printed.push(String(line)));
    const project = await makeProject();
    const reporter = await member(project);
    const commenter = await member(project);
    const number = await fileTicket(project, reporter.cookie);

    // The comment commits; the queue throws when the route hands it the notification.
    const dead = recordingQueue({ throws: true });
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request(`${ORIGIN}/p/${project.key}/t/${number}/comments`, {
        method: 'POST',
        headers: { Origin: ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded', Cookie: commenter.cookie },
        body: new URLSearchParams({ body: 'Found the cause' }),
      }),
      dead.env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(303);
    expect(errors).toHaveBeenCalled();
    const [comment] = await testDb().select().from(comments).where(eq(comments.body, 'Found the cause'));
    const [lost] = await deliveriesOf(comment!.id);
    expect(lost).toMatchObject({ status: 'QUEUED', attempts: 0, recipient: reporter.user.email });

    const queue = recordingQueue();
    const now = Date.now();
    // Too recent to be taken for lost: its message may still be on its way.
    await runScheduled(queue.env, now);
    expect(queue.sent).toEqual([]);

    const later = now + SWEEP_AFTER_MS + 1000;
    await runScheduled(queue.env, later);
    expect(queue.sent).toEqual([
      {
        type: 'ticket_activity',
        id: comment!.id,
        kind: 'comment',
        recipientId: reporter.user.id,
        deliveryId: lost!.id,
      },
    ]);
    // A second run before the consumer got to it leaves the row alone.
    await runScheduled(queue.env, later + 1000);
    expect(queue.sent).toHaveLength(1);

    await consume(queue.sent);
    expect((await deliveriesOf(comment!.id))[0]!.status).toBe('SENT');
    // The original message turning up late, or a later sweep, sends nothing more.
    await consume(queue.sent);
    await runScheduled(queue.env, later + 3 * SWEEP_AFTER_MS);
    expect(queue.sent).toHaveLength(1);
    expect(printed.filter((line) => line.includes(`email to ${reporter.user.email}`))).toHaveLength(1);
  });

  it('sends every kind of message again as its producer made it, and leaves attempted rows to the queue', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const old = Date.now() - 2 * SWEEP_AFTER_MS;
    const kinds = [
      await planned({ type: 'invitation', id: crypto.randomUUID() }, 'a@example.com', old),
      await planned({ type: 'password_reset', id: crypto.randomUUID() }, 'b@example.com', old),
      await planned(
        { type: 'added_to_project', id: crypto.randomUUID(), projectId: crypto.randomUUID() },
        'c@example.com',
        old,
      ),
    ];
    const attempted = await planned({ type: 'invitation', id: crypto.randomUUID() }, 'd@example.com', old);
    await testDb().update(mailDeliveries).set({ attempts: 1 }).where(eq(mailDeliveries.id, attempted.deliveryId));

    const queue = recordingQueue();
    await runScheduled(queue.env, Date.now());
    const ids = kinds.map((m) => m.deliveryId);
    expect(queue.sent.filter((m) => ids.includes((m as { deliveryId: string }).deliveryId))).toEqual(kinds);
    expect(queue.sent.map((m) => (m as { deliveryId: string }).deliveryId)).not.toContain(attempted.deliveryId);
  });

  it('works in bounded batches', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const old = Date.now() - 2 * SWEEP_AFTER_MS;
    const ids: string[] = [];
    for (let i = 0; i < SWEEP_BATCH * 2 + 5; i++) {
      ids.push((await planned({ type: 'invitation', id: crypto.randomUUID() }, `n${i}@example.com`, old)).deliveryId);
    }
    const queue = recordingQueue();
    await runScheduled(queue.env, Date.now());
    expect(Math.max(...queue.calls)).toBeLessThanOrEqual(SWEEP_BATCH);
    const rows = (await testDb().select().from(mailDeliveries).where(eq(mailDeliveries.createdAt, old))).filter((r) =>
      ids.includes(r.id),
    );
    expect(rows).toHaveLength(ids.length);
    expect(rows.every((r) => r.sweptAt !== null)).toBe(true);
    expect(queue.sent.filter((m) => ids.includes((m as { deliveryId: string }).deliveryId))).toHaveLength(ids.length);
  });

  it('is a job of the every-ten-minutes Cron Trigger', () => {
    expect(JOBS.find((job) => job.name === 'outbox-sweep')?.cron).toBe('*/10 * * * *');
  });
});
