/**
 * Due-date reminders from the daily Cron Trigger: the assignee of each ticket due by tomorrow (overdue included) and
 * not done gets one email a day per ticket, however often the trigger runs; bounded rounds that resume.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { and, eq, inArray } from 'drizzle-orm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { dueReminders, inboxItems, mailDeliveries, projectMembers, tickets, type User } from '../../../src/db/schema';
import type { Env } from '../../../src/env';
import { handleMailBatch } from '../../../src/mail/consumer';
import type { MailMessage } from '../../../src/mail/messages';
import worker from '../../../src/index';
import { DAILY } from '../../../src/scheduled';
import { sendDueReminders } from '../../../src/tickets/reminders';
import { recordingQueue } from '../mail/mail-helpers';
import { makeProject, member } from '../fixtures';
import { testDb } from '../helpers';
import { fileTicket, ticketsOf } from '../tickets/fixtures';

/** The trigger's time: 2026-11-29 03:17 UTC, so "today" is 2026-11-29 and "tomorrow" 2026-11-30. */
const at = Date.UTC(2026, 10, 29, 3, 17);

async function runDaily(runEnv: Env, scheduledTime = at) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron: DAILY, scheduledTime }), runEnv, ctx);
  await waitOnExecutionContext(ctx);
}

async function reminders(ticketIds: string[]) {
  if (ticketIds.length === 0) return [];
  return testDb()
    .select({ refId: mailDeliveries.refId, recipient: mailDeliveries.recipient, status: mailDeliveries.status })
    .from(mailDeliveries)
    .where(and(eq(mailDeliveries.kind, 'due_reminder'), inArray(mailDeliveries.refId, ticketIds)));
}

/** A project with an assignee, and tickets filed through the form with these due dates (and statuses). */
async function setup(rows: { due: string; status?: string }[], prefs: Partial<User> = {}) {
  const project = await makeProject();
  const reporter = await member(project, { name: 'Reporter' });
  const assignee = await member(project, { name: 'Assignee', ...prefs });
  for (const [i, row] of rows.entries()) {
    await fileTicket(project, reporter.cookie, {
      title: `Ticket ${i + 1}`,
      assignee: assignee.user.id,
      due_date: row.due,
      status: row.status ?? 'OPEN',
    });
  }
  const all = await ticketsOf(project.id);
  return { project, reporter, assignee, ids: all.map((t) => t.id) };
}

beforeEach(async () => {
  vi.spyOn(console, 'log').mockImplementation(() => {});
  // Each test starts from no tickets: the job looks at every project.
  await testDb().delete(dueReminders);
  await testDb().delete(tickets);
  return () => vi.restoreAllMocks();
});

describe('due-date reminders', () => {
  it('reminds the assignee once a day per ticket due tomorrow, today or overdue, even when the trigger runs twice', async () => {
    const { assignee, ids } = await setup([
      { due: '2026-11-30' }, // tomorrow
      { due: '2026-11-29' }, // today
      { due: '2026-11-20' }, // overdue
      { due: '2026-12-01' }, // the day after tomorrow: not yet
      { due: '2027-06-01' }, // far ahead
      { due: '2026-11-20', status: 'DONE' }, // done: never
      { due: '' }, // no due date
    ]);
    const queue = recordingQueue();
    await runDaily(queue.env);
    await runDaily(queue.env);
    const rows = await reminders(ids);
    expect(rows.map((r) => r.refId).sort()).toEqual([ids[0], ids[1], ids[2]].sort());
    expect(rows.every((r) => r.recipient === assignee.user.email && r.status === 'QUEUED')).toBe(true);
    // One queue message per reminder, sent once, not again by the second run.
    expect(queue.sent.map((m) => m.type)).toEqual(['due_reminder', 'due_reminder', 'due_reminder']);
    expect(queue.sent.map((m) => (m.type === 'due_reminder' ? m.day : null))).toEqual(Array(3).fill('2026-11-29'));

    // The next day the overdue ones are reminded again, once.
    await runDaily(queue.env, at + 24 * 60 * 60 * 1000);
    await runDaily(queue.env, at + 24 * 60 * 60 * 1000);
    expect((await reminders(ids)).length).toBe(3 + 4);
  });

  it('sends the reminder through the mail queue consumer as text and HTML, naming the ticket', async () => {
    const { ids } = await setup([{ due: '2026-11-20' }]);
    const queue = recordingQueue();
    await runDaily(queue.env);
    const message = queue.sent[0]!;
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => void printed.push(String(line)));
    const acks: boolean[] = [];
    const batch = {
      queue: 'hticket-mail',
      messages: [
        {
          id: '1',
          timestamp: new Date(),
          body: message,
          attempts: 1,
          ack: () => void acks.push(true),
          retry: () => void acks.push(false),
        },
      ],
      ackAll() {},
      retryAll() {},
    } as unknown as MessageBatch<MailMessage>;
    const ctx = createExecutionContext();
    await handleMailBatch(batch, env, ctx);
    await waitOnExecutionContext(ctx);
    expect(acks).toEqual([true]);
    const [row] = await testDb().select().from(mailDeliveries).where(eq(mailDeliveries.refId, ids[0]!));
    expect(row!.status).toBe('SENT');
    expect(row!.subject).toMatch(/^\[[A-Z]+-1\] overdue: Ticket 1$/);
    expect(row!.textBody).toContain('was due on 2026-11-20 and is overdue');
  });

  it('reminds nobody who was removed from the project', async () => {
    const { project, assignee, ids } = await setup([{ due: '2026-11-29' }]);
    await testDb()
      .delete(projectMembers)
      .where(and(eq(projectMembers.projectId, project.id), eq(projectMembers.userId, assignee.user.id)));
    const queue = recordingQueue();
    await runDaily(queue.env);
    expect(await reminders(ids)).toEqual([]);
    expect(queue.sent).toEqual([]);
  });

  it('works in bounded rounds, and a run cut short is continued by the next one without repeats', async () => {
    const { ids } = await setup(Array.from({ length: 7 }, (_, i) => ({ due: `2026-11-${String(20 + i)}` })));
    const queue = recordingQueue();
    // One round of 3: three reminded, the rest left for the next run.
    const first = await sendDueReminders({ db: testDb(), env: queue.env, now: at }, { batchSize: 3, maxRounds: 1 });
    expect(first).toEqual({ tickets: 3, sent: 3, more: true });
    expect((await reminders(ids)).length).toBe(3);
    // The next run walks from the start again, skips what it already claimed today, and finishes.
    const second = await sendDueReminders({ db: testDb(), env: queue.env, now: at }, { batchSize: 3, maxRounds: 10 });
    expect(second.sent).toBe(4);
    expect(second.more).toBe(false);
    const rows = await reminders(ids);
    expect(rows.map((r) => r.refId).sort()).toEqual([...ids].sort());
    expect(queue.sent.length).toBe(7);
  });

  it.each(['inbox', 'digest'] as const)(
    'reminders set to "%s": an inbox row of kind reminder instead of an email, once a day',
    async (choice) => {
      const { assignee, ids } = await setup([{ due: '2026-11-20' }], { notifyReminders: choice });
      const queue = recordingQueue();
      await runDaily(queue.env);
      await runDaily(queue.env);
      expect(await reminders(ids)).toEqual([]);
      expect(queue.sent.filter((m) => m.type === 'due_reminder')).toEqual([]);
      const rows = await testDb().select().from(inboxItems).where(eq(inboxItems.ticketId, ids[0]!));
      expect(rows.filter((r) => r.kind === 'reminder').map((r) => r.userId)).toEqual([assignee.user.id]);
    },
  );
});
