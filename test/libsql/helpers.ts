/** A fresh libSQL `file:` database per describe block, with the project's migrations applied. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from '@libsql/client';
import type { SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { afterAll, beforeAll } from 'vitest';
import { currentUserId, createSession, generateSession, toSessionCheck } from '../../src/auth/sessions';
import { createLibsqlDb, type Db, type RoundTripCounter } from '../../src/db/client';

/**
 * Call inside a `describe`: the database is migrated before the block's own `beforeAll` hooks run (hooks run in the
 * order they are registered) and removed after its tests.
 */
export function useLibsqlDb(counter?: RoundTripCounter): { client: Client; db: Db } {
  const dir = mkdtempSync(join(tmpdir(), 'hticket-libsql-'));
  const client = createClient({ url: `file:${join(dir, 'test.db')}` });
  beforeAll(() => migrate(drizzle(client), { migrationsFolder: join(import.meta.dirname, '..', '..', 'migrations') }));
  afterAll(() => {
    client.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { client, db: createLibsqlDb(client, counter) };
}

/** Signs `userId` in and returns the `me` subquery the app's statements take for that session. */
export async function sessionMe(db: Db, userId: string, now: number): Promise<SQL> {
  const created = generateSession(userId, now);
  await createSession(db, created.session);
  const [sid, secret] = created.token.split('.') as [string, string];
  return currentUserId(toSessionCheck({ id: sid, secret }, now));
}
