/**
 * @module e2e/server — hticket for the end-to-end tests, served the way `npm start` serves it (scripts/dev-server)
 * but in a fresh temporary state folder with fixed settings, removed again when it stops.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, startDevServer } from '../scripts/dev-server.mjs';

export const BOOTSTRAP_EMAIL = 'first.manager@example.com';

/** @param {{ port: number, inspectorPort?: number }} opts */
export async function startServer({ port, inspectorPort = Number(process.env.E2E_INSPECTOR_PORT) || undefined }) {
  const state = mkdtempSync(join(tmpdir(), 'hticket-e2e-'));
  const removeState = () => rmSync(state, { recursive: true, force: true });
  try {
    applyMigrations({ persistTo: state });
    const server = await startDevServer({
      port,
      persistTo: state,
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
    return { ...server, stop: () => server.stop().finally(removeState) };
  } catch (err) {
    removeState();
    throw err;
  }
}
