import { defineConfig } from 'drizzle-kit';

// PostgreSQL takes its own schema (kept in step with the SQLite one by test/postgres/schema-drift.test.ts) and its own
// migrations folder, applied by scripts/migrate-postgres.mjs (npm start with DATABASE_URL, the tests, the benchmark).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/pg-schema.ts',
  out: './migrations-pg',
});
