/**
 * Starts the PostgreSQL server the `postgres` and `workers-pg` projects run on, and stops it after them. No server,
 * no run: when none can be started the suite fails with the reason (it is never skipped).
 */
import type { TestProject } from 'vitest/node';
import { startPostgres } from '../../scripts/postgres.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The migrated template database; each test file copies it. */
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject) {
  // HTICKET_PG_PORT pins the ports (one per project, counting up from it); otherwise the system picks free ones.
  const base = Number(process.env.HTICKET_PG_PORT) || 0;
  const server = await startPostgres({ port: base && base + (project.name === 'workers-pg' ? 1 : 0) });
  // The migrated database becomes the template every test file's own database is copied from.
  project.provide('postgresUrl', server.url);
  return () => server.stop();
}
