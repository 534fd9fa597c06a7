import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { inArray } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SESSION_IDLE_MS } from '../../../src/auth/sessions';
import { mailDeliveries, passwordResets, sessions } from '../../../src/db/schema';
import worker from '../../../src/index';
import { DAILY, handleScheduled } from '../../../src/scheduled';
import { pruneJob } from '../../../src/scheduled/prune';
import { createUser, testDb } from '../helpers';

const DAY = 24 * 60 * 60 * 1000;
const now = Date.UTC(2026, 10, 29, 3, 17);

async function runDaily(scheduledTime = now) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron: DAILY, scheduledTime }), env, ctx);
  await waitOnExecutionContext(ctx);
}

async function addSession(userId: string, fields: { lastSeenAt: number; expiresAt: number }) {
  const id = crypto.randomUUID();
  await testDb()
    .insert(sessions)
    .values({ id, userId, secretHash: 'x', createdAt: fields.lastSeenAt, ...fields });
  return id;
}

async function addReset(userId: string, fields: { expiresAt: number; usedAt?: number | null }) {
  const id = crypto.randomUUID();
  await testDb()
    .insert(passwordResets)
    .values({ id, tokenHash: crypto.randomUUID(), userId, createdAt: fields.expiresAt - 3600_000, ...fields });
  return id;
}

async function addDelivery(createdAt: number, textBody: string | null) {
  const id = crypto.randomUUID();
  await testDb().insert(mailDeliveries).values({
    id,
    kind: 'invitation',
    refId: crypto.randomUUID(),
    recipient: 'someone@example.com',
    status: 'SENT',
    subject: 'You are invited',
    textBody,
    createdAt,
  });
  return id;
}

const remaining = async (table: typeof sessions | typeof passwordResets, ids: string[]) =>
  (await testDb().select({ id: table.id }).from(table).where(inArray(table.id, ids))).map((r) => r.id).sort();

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the daily housekeeping', () => {
  it('deletes ended sessions and dead reset links, clears old outbox bodies, and keeps everything still in use', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const user = await createUser();
    const live = await addSession(user.id, { lastSeenAt: now - DAY, expiresAt: now + DAY });
    const idle = await addSession(user.id, { lastSeenAt: now - SESSION_IDLE_MS, expiresAt: now + DAY });
    const past = await addSession(user.id, { lastSeenAt: now - 60_000, expiresAt: now });
    const open = await addReset(user.id, { expiresAt: now + 3600_000 });
    const used = await addReset(user.id, { expiresAt: now + 3600_000, usedAt: now - 60_000 });
    const expired = await addReset(user.id, { expiresAt: now - 1 });
    const recent = await addDelivery(now - 6 * DAY, 'a join link');
    const old = await addDelivery(now - 8 * DAY, 'an old join link');

    await runDaily();

    expect(await remaining(sessions, [live, idle, past])).toEqual([live]);
    expect(await remaining(passwordResets, [open, used, expired])).toEqual([open]);
    const bodies = await testDb()
      .select({ id: mailDeliveries.id, subject: mailDeliveries.subject, textBody: mailDeliveries.textBody })
      .from(mailDeliveries)
      .where(inArray(mailDeliveries.id, [recent, old]));
    expect(Object.fromEntries(bodies.map((d) => [d.id, [d.subject, d.textBody]]))).toEqual({
      [recent]: ['You are invited', 'a join link'],
      [old]: ['You are invited', null],
    });
  });

  it('works in bounded rounds and continues where a run stopped', async () => {
    const user = await createUser();
    const ended = [];
    for (let i = 0; i < 5; i++)
      ended.push(await addSession(user.id, { lastSeenAt: now - 2 * DAY, expiresAt: now - DAY }));
    const live = await addSession(user.id, { lastSeenAt: now, expiresAt: now + DAY });
    const ctx = { db: testDb(), config: { INVITE_TTL_DAYS: 7 } as never, now };

    expect(await pruneJob(ctx, { batchSize: 2, maxRounds: 2 })).toMatch(/^4 sessions, .*more left for the next run$/);
    expect(await remaining(sessions, [...ended, live])).toHaveLength(2);
    expect(await pruneJob(ctx, { batchSize: 2, maxRounds: 2 })).toMatch(/^1 sessions, /);
    expect(await remaining(sessions, [...ended, live])).toEqual([live]);
  });

  it('runs only the jobs of the trigger that fired, and reports a failed job after running the others', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const ran: string[] = [];
    const job = (name: string, cron: string, fail = false) => ({
      name,
      cron,
      run: async () => {
        ran.push(name);
        if (fail) throw new Error(`${name} broke`);
        return 'done';
      },
    });
    const jobs = [job('first', DAILY, true), job('second', DAILY), job('hourly', '0 * * * *')];
    const controller = createScheduledController({ cron: DAILY, scheduledTime: now });
    await expect(handleScheduled(controller, env, createExecutionContext(), jobs)).rejects.toThrow('first');
    expect(ran).toEqual(['first', 'second']);
    expect(log).toHaveBeenCalledWith('[scheduled] second: done');
    expect(String(error.mock.calls[0]?.[0])).toContain('first failed');
  });
});
