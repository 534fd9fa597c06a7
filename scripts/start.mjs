// `npm start`: applies the migrations to the local D1 database, then runs the Worker under `wrangler dev`
// on 127.0.0.1:8787 (local D1, emulated queue and bucket, mail printed to this console).
// With DATABASE_URL=postgres://… it applies the PostgreSQL migrations to that database instead and serves the app on
// it through a local Hyperdrive binding (wrangler.toml plus the binding, in a git-ignored wrangler.postgres.toml).
// Options: --port N, --persist-to DIR (a separate local state folder, used by the end-to-end tests).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { port: { type: 'string', default: '8787' }, 'persist-to': { type: 'string' } },
});
const wrangler = join(root, 'node_modules', '.bin', 'wrangler');
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };
const persist = values['persist-to'] ? ['--persist-to', values['persist-to']] : [];

// Local secrets live in .dev.vars (git-ignored); the first run makes it from the example with a fresh token secret.
const devVars = join(root, '.dev.vars');
if (!existsSync(devVars)) {
  const example = readFileSync(join(root, '.dev.vars.example'), 'utf8');
  writeFileSync(devVars, example.replace(/^TOKEN_SECRET=.*$/m, `TOKEN_SECRET=${randomBytes(32).toString('hex')}`));
  console.log('created .dev.vars from .dev.vars.example');
}

const databaseUrl = process.env.DATABASE_URL;
const config = [];
if (databaseUrl) {
  if (!/^postgres(ql)?:\/\/./.test(databaseUrl)) {
    console.error('DATABASE_URL must be a postgres:// URL (for example postgres://postgres@127.0.0.1:5432/hticket)');
    process.exit(1);
  }
  const { migratePostgres } = await import('./postgres.mjs');
  await migratePostgres(databaseUrl);
  console.log(`PostgreSQL migrations applied; serving on ${new URL(databaseUrl).host}${new URL(databaseUrl).pathname}`);
  // The connection string reaches wrangler through the environment, never a file.
  env.CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE = databaseUrl;
  delete env.DATABASE_URL;
  const generated = join(root, 'wrangler.postgres.toml');
  writeFileSync(
    generated,
    `# Made by npm start with DATABASE_URL: wrangler.toml plus a local Hyperdrive binding. Not edited by hand.\n` +
      `${readFileSync(join(root, 'wrangler.toml'), 'utf8')}\n` +
      `[[hyperdrive]]\nbinding = "HYPERDRIVE"\nid = "00000000000000000000000000000000"\n`,
  );
  config.push('--config', generated);
} else {
  const migrate = spawnSync(wrangler, ['d1', 'migrations', 'apply', 'DB', '--local', ...persist], {
    cwd: root,
    env: { ...env, CI: 'true' },
    stdio: 'inherit',
  });
  if (migrate.status !== 0) process.exit(migrate.status ?? 1);
}

const port = values.port;
// Links in emails (and the first manager's link) must point at the port actually served.
const ownOrigin = port !== '8787' && !/^APP_ORIGIN=/m.test(readFileSync(devVars, 'utf8'));
const origin = ownOrigin ? ['--var', `APP_ORIGIN:http://127.0.0.1:${port}`] : [];
const dev = spawn(
  wrangler,
  [
    'dev',
    ...config,
    '--ip',
    '127.0.0.1',
    '--port',
    port,
    '--show-interactive-dev-session=false',
    ...origin,
    ...persist,
  ],
  { cwd: root, env, stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => dev.kill(signal));
process.on('exit', () => dev.kill('SIGTERM'));
dev.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

// Once the server answers, say where it is. The first /healthz also lets the app do its first-request work: on a
// database without users it invites BOOTSTRAP_MANAGER_EMAIL (from .dev.vars) and prints that join link above.
const url = `http://127.0.0.1:${port}`;
for (let i = 0; i < 120; i++) {
  await new Promise((r) => setTimeout(r, 500));
  try {
    const res = await fetch(`${url}/healthz`);
    if (res.ok) {
      console.log(`\nhticket is running at ${url}/\n`);
      break;
    }
  } catch {
    // not up yet
  }
}
