// Starts hticket for the end-to-end tests the way the README does (migrations applied to a local D1 database, then
// `wrangler dev`), but in a fresh temporary state folder, and stops it by its process group at the end.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wrangler = join(root, 'node_modules', '.bin', 'wrangler');
const quiet = { WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };

export const BOOTSTRAP_EMAIL = 'first.manager@example.com';

/**
 * @param {{ port: number }} opts
 * @returns {Promise<{ url: string, output: () => string, waitForOutput: (re: RegExp, ms?: number) => Promise<RegExpMatchArray>, stop: () => Promise<void> }>}
 */
export async function startServer({ port }) {
  const state = mkdtempSync(join(tmpdir(), 'hticket-e2e-'));
  const env = { ...process.env, ...quiet, CI: 'true' };
  const migrate = spawnSync(wrangler, ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state], {
    cwd: root,
    env,
    encoding: 'utf8',
  });
  if (migrate.status !== 0) throw new Error(`migrations failed:\n${migrate.stdout}\n${migrate.stderr}`);

  const vars = {
    ENVIRONMENT: 'development',
    MAIL_TRANSPORT: 'log',
    APP_ORIGIN: `http://127.0.0.1:${port}`,
    TOKEN_SECRET: 'e2e-token-secret-0123456789abcdef0123456789abcdef',
    BOOTSTRAP_MANAGER_EMAIL: BOOTSTRAP_EMAIL,
  };
  const args = ['dev', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', state];
  args.push('--show-interactive-dev-session=false');
  for (const [key, value] of Object.entries(vars)) args.push('--var', `${key}:${value}`);
  // Its own process group: stopping it by -pid ends wrangler and the workerd it started.
  const child = spawn(wrangler, args, { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  let exited = false;
  child.on('exit', () => (exited = true));

  const stop = async () => {
    if (!exited) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      for (let i = 0; i < 50 && !exited; i++) await new Promise((r) => setTimeout(r, 100));
      if (!exited) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    rmSync(state, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`wrangler dev exited early:\n${log}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the app did not answer within a minute:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }

  const waitForOutput = async (re, ms = 10_000) => {
    const end = Date.now() + ms;
    for (;;) {
      const match = log.match(re);
      if (match) return match;
      if (Date.now() > end) throw new Error(`server output never matched ${re}:\n${log.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  return { url, output: () => log, waitForOutput, stop };
}
