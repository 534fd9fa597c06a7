import { defineConfig } from 'drizzle-kit';

// One schema and one migrations folder serve both D1 (wrangler d1 migrations apply) and libSQL (scripts/migrate-libsql.mjs).
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: './migrations',
});
