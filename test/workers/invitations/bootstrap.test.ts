import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Env } from '../../../src/env';
import { invitations, users } from '../../../src/db/schema';
import worker from '../../../src/index';
import { ORIGIN, testDb } from '../helpers';
import { deliveriesFor, freshIp, invitationsFor, tokenOf } from './helpers';

const BOSS = 'first.boss@example.com';
const PASSWORD = 'correct horse battery staple';

/** A request to the Worker under its own env object: a fresh env is what a restarted isolate sees. */
async function fetchWith(bindings: Env, path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${ORIGIN}${path}`, { redirect: 'manual', ...init }), bindings, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

function startedWith(overrides: Partial<Env>): Env {
  return { ...(env as unknown as Env), BOOTSTRAP_MANAGER_EMAIL: 'First.Boss@example.com', ...overrides };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the first manager', () => {
  it('gets one invitation on a database without users, printed locally, and none once a user exists', async () => {
    const logs: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      logs.push(args.join(' '));
    });
    expect(await testDb().select().from(users)).toHaveLength(0);

    // Production: the invitation is made and emailed; the link itself never reaches the logs.
    const production = startedWith({ ENVIRONMENT: 'production' });
    expect((await fetchWith(production, '/healthz')).status).toBe(200);
    const [invitation, ...others] = await invitationsFor(BOSS);
    expect(others).toHaveLength(0);
    expect(invitation).toMatchObject({ role: 'MANAGER', senderId: null, projectId: null, usedAt: null });
    expect(await deliveriesFor(BOSS)).toHaveLength(1);
    const token = await tokenOf(invitation!.id);
    expect(logs.join('\n')).toContain(`sent the first manager invitation to ${BOSS}`);
    expect(logs.join('\n')).not.toContain(token);

    // The same isolate does not look again; a restarted one finds the waiting invitation and makes no other.
    expect((await fetchWith(production, '/healthz')).headers.get('x-db-round-trips')).toBe('0');
    await fetchWith(production, '/login');
    const development = startedWith({ ENVIRONMENT: 'development' });
    await fetchWith(development, '/healthz');
    await fetchWith(startedWith({ ENVIRONMENT: 'development' }), '/login');
    expect(await invitationsFor(BOSS)).toHaveLength(1);
    expect(await deliveriesFor(BOSS)).toHaveLength(1);
    // Locally the console shows the link to open.
    expect(logs.join('\n')).toContain(`http://hticket.test/join/${token}/`);

    // The link makes the first manager.
    const joined = await fetchWith(development, `/join/${token}/`, {
      method: 'POST',
      headers: { Origin: ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded', ...freshIp() },
      body: new URLSearchParams({ name: 'First Boss', password: PASSWORD, confirm: PASSWORD }),
    });
    expect(joined.status).toBe(303);
    const [boss] = await testDb().select().from(users).where(eq(users.email, BOSS));
    expect(boss).toMatchObject({ role: 'MANAGER', name: 'First Boss' });

    // Users exist now: no restart, no other address, and no expired invitation brings a second manager.
    await testDb()
      .update(invitations)
      .set({ expiresAt: Date.now() - 1000 });
    await fetchWith(startedWith({ ENVIRONMENT: 'development' }), '/healthz');
    await fetchWith(startedWith({ BOOTSTRAP_MANAGER_EMAIL: 'someone.else@example.com' }), '/healthz');
    expect(await invitationsFor(BOSS)).toHaveLength(1);
    expect(await invitationsFor('someone.else@example.com')).toHaveLength(0);
    expect(await testDb().select().from(users)).toHaveLength(1);
  });
});
