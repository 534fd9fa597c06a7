/**
 * @module e2e/server — hticket for the end-to-end tests, served the way `npm start` serves it (scripts/dev-server)
 * but in a fresh temporary state folder with fixed settings, removed again when it stops. With
 * `E2E_DATABASE=postgres` it starts its own PostgreSQL server (scripts/postgres.mjs) and serves on it the way
 * `DATABASE_URL=postgres://… npm start` does; otherwise on local D1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, postgresServing, startDevServer } from '../scripts/dev-server.mjs';

export const BOOTSTRAP_EMAIL = 'first.manager@example.com';

/** The backend of this run: `d1` (the default) or `postgres`. */
export const DATABASE = process.env.E2E_DATABASE ?? 'd1';
if (!['d1', 'postgres'].includes(DATABASE)) {
  throw new Error(`E2E_DATABASE must be d1 or postgres, not ${JSON.stringify(DATABASE)}`);
}

/** @param {{ port: number, inspectorPort?: number }} opts */
export async function startServer({ port, inspectorPort = Number(process.env.E2E_INSPECTOR_PORT) || undefined }) {
  const state = mkdtempSync(join(tmpdir(), 'hticket-e2e-'));
  const cleanups = [() => rmSync(state, { recursive: true, force: true })];
  const cleanUp = async () => {
    for (const fn of cleanups.reverse()) await fn();
  };
  try {
    let serving = {};
    if (DATABASE === 'postgres') {
      const { startPostgres } = await import('../scripts/postgres.mjs');
      // E2E_PG_PORT pins the server's port; otherwise a free one.
      const pg = await startPostgres({ port: Number(process.env.E2E_PG_PORT) || undefined });
      cleanups.push(pg.stop);
      serving = await postgresServing(pg.url, { name: `wrangler.postgres-e2e-${port}.toml` });
      cleanups.push(serving.remove);
    } else {
      applyMigrations({ persistTo: state });
    }
    const server = await startDevServer({
      port,
      persistTo: state,
      config: serving.config,
      env: serving.env,
      inspectorPort,
      vars: {
        ENVIRONMENT: 'development',
        MAIL_TRANSPORT: 'log',
        APP_ORIGIN: `http://127.0.0.1:${port}`,
        TOKEN_SECRET: 'e2e-token-secret-0123456789abcdef0123456789abcdef',
        BOOTSTRAP_MANAGER_EMAIL: BOOTSTRAP_EMAIL,
      },
      timeoutMs: 60_000,
    });
    return { ...server, stop: () => server.stop().finally(cleanUp) };
  } catch (err) {
    await cleanUp();
    throw err;
  }
}
