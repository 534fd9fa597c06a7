import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { getTableName, is, Table } from 'drizzle-orm';
import postgres from 'postgres';
import * as pgSchema from '../../src/db/pg-schema';

// Each test file gets fresh storage; the real migrations/ folder builds the schema.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

// On PostgreSQL (the workers-pg project) the files share one migrated database, run one at a time: each starts empty.
if (env.HYPERDRIVE) {
  const tables = Object.values(pgSchema)
    .filter((t) => is(t, Table))
    .map((t) => `"${getTableName(t as Table)}"`);
  const sql = postgres(env.HYPERDRIVE.connectionString, { max: 1, prepare: false, fetch_types: false });
  await sql.unsafe(`truncate ${tables.join(', ')} cascade`);
  // Not ended: postgres.js's Workers socket rejects a promise nobody holds when it closes; workerd closes the socket
  // when the file's context ends.
}
