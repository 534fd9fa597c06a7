/**
 * Starts the PostgreSQL server the `postgres` and `workers-pg` projects run on, and stops it after them. No server,
 * no run: when none can be started the suite fails with the reason (it is never skipped).
 */
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';
import { startPostgres } from '../../scripts/postgres.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The migrated template database; each test file copies it. */
    postgresUrl: string;
    /** A port nothing listens on: PostgreSQL "down". */
    postgresClosedPort: number;
  }
}

export default async function setup(project: TestProject) {
  const server = await startPostgres();
  // The migrated database becomes the template every test file's own database is copied from.
  project.provide('postgresUrl', server.url);
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  project.provide('postgresClosedPort', (probe.address() as { port: number }).port);
  await new Promise((resolve) => probe.close(resolve));
  return () => server.stop();
}
