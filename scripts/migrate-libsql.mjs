// `npm run db:migrate:turso`: applies migrations/ to the libSQL/Turso database named by TURSO_DATABASE_URL
// (and TURSO_AUTH_TOKEN). The same folder is applied to D1 by `wrangler d1 migrations apply`.
import { createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const url = process.env.TURSO_DATABASE_URL;
if (!url) {
  console.error('TURSO_DATABASE_URL is not set (for example libsql://your-db.turso.io, or file:local.db)');
  process.exit(1);
}
const client = createClient({ url, authToken: process.env.TURSO_AUTH_TOKEN });
const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), '..', 'migrations');
await migrate(drizzle(client), { migrationsFolder });
client.close();
console.log(`migrations applied to ${new URL(url).protocol}//${new URL(url).host || 'local file'}`);
