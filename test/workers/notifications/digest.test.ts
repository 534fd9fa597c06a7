/**
 * The daily digest: one email a day for each person who chose "daily digest" for some kind and has unread items of
 * those kinds since their last digest; none when nothing is unread; once however often the trigger runs.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { inboxItems, mailDeliveries, users, type User } from '../../../src/db/schema';
import type { Env } from '../../../src/env';
import worker from '../../../src/index';
import { DAILY } from '../../../src/scheduled';
import { sendDigests } from '../../../src/notifications/digest';
import { consume, recordingQueue } from '../mail/mail-helpers';
import { makeProject, member } from '../fixtures';
import { send, testDb } from '../helpers';
import { fileTicket } from '../tickets/fixtures';

const DAY = 24 * 60 * 60 * 1000;

async function runDaily(runEnv: Env, scheduledTime: number) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron: DAILY, scheduledTime }), runEnv, ctx);
  await waitOnExecutionContext(ctx);
}

async function digestsFor(userId: string) {
  return testDb()
    .select()
    .from(mailDeliveries)
    .where(and(eq(mailDeliveries.kind, 'digest'), eq(mailDeliveries.refId, userId)));
}

/** A ticket filed by a watcher with these preferences, then changed and commented on by someone else. */
async function setup(prefs: Partial<User>) {
  const project = await makeProject();
  const watcher = await member(project, { name: 'Wendy', ...prefs });
  const other = await member(project, { name: 'Otto' });
  await fileTicket(project, watcher.cookie, { title: 'Fix the login page' });
  await send(`/p/${project.key}/t/1/status`, { cookie: other.cookie, htmx: true, form: { status: 'DONE' } });
  await send(`/p/${project.key}/t/1/comments`, { cookie: other.cookie, htmx: true, form: { body: 'shipped' } });
  return { project, watcher, other };
}

beforeEach(() => {
  vi.spyOn(console, 'log').mockImplementation(() => {});
  return () => vi.restoreAllMocks();
});

describe('the daily digest', () => {
  it('is sent once when the trigger runs twice, listing the unread items, and sends no email at once', async () => {
    const { project, watcher } = await setup({ notifyWatched: 'digest' });
    const queue = recordingQueue();
    const now = Date.now() + 1000;
    await runDaily(queue.env, now);
    await runDaily(queue.env, now + 60_000);
    const rows = await digestsFor(watcher.user.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.recipient).toBe(watcher.user.email);
    const mine = queue.sent.filter((m) => m.type === 'digest' && m.id === watcher.user.id);
    expect(mine).toHaveLength(1);
    // Nothing was emailed at once for the change or the comment.
    const activity = await testDb()
      .select()
      .from(mailDeliveries)
      .where(eq(mailDeliveries.recipient, watcher.user.email));
    expect(activity.map((m) => m.kind)).toEqual(['digest']);

    await consume(mine);
    const [sent] = await digestsFor(watcher.user.id);
    expect(sent!.status).toBe('SENT');
    expect(sent!.subject).toBe('Your daily digest: 2 unread items');
    expect(sent!.textBody).toContain(`${project.key}-1 Fix the login page: Otto commented: shipped`);
    expect(sent!.textBody).toContain(`${project.key}-1 Fix the login page: Otto changed the status from Open to Done`);
    expect(sent!.textBody).toContain('http://hticket.test/inbox');
  });

  it('sends nothing when nothing is unread, and the next day only what is new', async () => {
    const { project, watcher, other } = await setup({ notifyWatched: 'digest' });
    await testDb().update(inboxItems).set({ readAt: Date.now() }).where(eq(inboxItems.userId, watcher.user.id));
    const queue = recordingQueue();
    // Before the next comment is made, so that comment is new since this run.
    const now = Date.now() - 1;
    await runDaily(queue.env, now);
    expect(await digestsFor(watcher.user.id)).toEqual([]);
    expect(queue.sent.filter((m) => m.type === 'digest' && m.id === watcher.user.id)).toEqual([]);

    await send(`/p/${project.key}/t/1/comments`, { cookie: other.cookie, htmx: true, form: { body: 'one more' } });
    await runDaily(queue.env, now + DAY);
    const mine = queue.sent.filter((m) => m.type === 'digest' && m.id === watcher.user.id);
    expect(mine).toHaveLength(1);
    await consume(mine);
    const [sent] = await digestsFor(watcher.user.id);
    expect(sent!.subject).toBe('Your daily digest: 1 unread item');
    expect(sent!.textBody).toContain('Otto commented: one more');
  });

  it('leaves out people who chose email or inbox only, and those who turned email off', async () => {
    const inboxOnly = await setup({ notifyWatched: 'inbox' });
    const emailNow = await setup({ notifyWatched: 'email' });
    const off = await setup({ notifyWatched: 'digest', notifyEmail: false });
    const queue = recordingQueue();
    await runDaily(queue.env, Date.now() + 1000);
    for (const s of [inboxOnly, emailNow, off]) expect(await digestsFor(s.watcher.user.id)).toEqual([]);
  });

  it('works in bounded rounds and a run cut short is continued by the next one', async () => {
    const people = [];
    for (let i = 0; i < 3; i++)
      people.push((await setup({ notifyMentioned: 'digest', notifyWatched: 'digest' })).watcher);
    const queue = recordingQueue();
    const now = Date.now() + 1000;
    const first = await sendDigests({ db: testDb(), env: queue.env, now }, { batchSize: 1, maxRounds: 1 });
    expect(first.more).toBe(true);
    await sendDigests({ db: testDb(), env: queue.env, now: now + 1 }, { batchSize: 1, maxRounds: 10 });
    for (const p of people) expect(await digestsFor(p.user.id)).toHaveLength(1);
    const [row] = await testDb().select().from(users).where(eq(users.id, people[0]!.user.id));
    expect(row!.lastDigestAt).not.toBeNull();
  });
});
