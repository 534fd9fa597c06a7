// `npm run db:migrate:postgres`: applies migrations-pg/ to the PostgreSQL database named by DATABASE_URL
// (postgres://user:password@host:5432/db). `npm start` does it too when DATABASE_URL is set.
import { migratePostgres } from './postgres.mjs';

const url = process.env.DATABASE_URL;
if (!url || !/^postgres(ql)?:\/\//.test(url)) {
  console.error('DATABASE_URL must be a postgres:// URL (for example postgres://postgres@127.0.0.1:5432/hticket)');
  process.exit(1);
}
await migratePostgres(url);
console.log(`PostgreSQL migrations applied to ${new URL(url).host}${new URL(url).pathname}`);
