/** Opens a fresh libSQL `file:` database with the project's migrations applied. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';

export async function openLibsql(): Promise<{ client: Client; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'hticket-libsql-'));
  const client = createClient({ url: `file:${join(dir, 'test.db')}` });
  await migrate(drizzle(client), { migrationsFolder: join(import.meta.dirname, '..', '..', 'migrations') });
  return {
    client,
    cleanup: () => {
      client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
