/** The data layer on real libSQL (a `file:` database through drizzle-orm/libsql), with the same migrations as D1. */
import { describe, expect, it } from 'vitest';
import { createSession, generateSession, toSessionCheck, validateSessionToken } from '../../src/auth/sessions';
import { runPlan } from '../../src/db/plan';
import { RoundTripCounter } from '../../src/db/client';
import { users } from '../../src/db/schema';
import { useLibsqlDb } from './helpers';

describe('libSQL data layer', () => {
  const counter = new RoundTripCounter();
  const { client, db } = useLibsqlDb(counter);

  it('runs on a real libSQL file database with every migration applied', async () => {
    expect(client.protocol).toBe('file');
    const tables = await client.execute("select name from sqlite_master where type = 'table' order by name");
    const names = tables.rows.map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['users', 'sessions', 'projects', 'tickets', 'invitations']));
  });

  it('creates and validates a session in one batch, counted as one round trip', async () => {
    const now = Date.now();
    const userId = crypto.randomUUID();
    await db
      .insert(users)
      .values({ id: userId, email: 'lib@example.com', name: 'Lib', passwordHash: 'x', createdAt: now });
    const created = generateSession(userId, now);
    await createSession(db, created.session);
    const [id, secret] = created.token.split('.') as [string, string];
    const check = toSessionCheck({ id, secret }, now + 1000);
    counter.count = 0;
    const outcome = await runPlan(db, validateSessionToken(check));
    expect(counter.count).toBe(1);
    expect(outcome.ok && outcome.user.email).toBe('lib@example.com');
    const forged = await runPlan(db, validateSessionToken({ ...check, secretHash: 'f'.repeat(64) }));
    expect(forged.ok).toBe(false);
  });
});
