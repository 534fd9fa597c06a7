// `npm run db:generate -- --name <what>`: one migration for SQLite (migrations/, D1 and libSQL) and one for
// PostgreSQL (migrations-pg/), each from its schema; test/postgres/schema-drift.test.ts keeps the schemas in step.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const kit = join(root, 'node_modules', '.bin', 'drizzle-kit');
for (const config of ['drizzle.config.ts', 'drizzle-pg.config.ts']) {
  const run = spawnSync(kit, ['generate', '--config', config, ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
  });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
