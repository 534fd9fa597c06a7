import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';

// Each test file gets fresh storage; the real migrations/ folder builds the schema.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
