// `npm start`: applies the migrations to the local D1 database, then serves the Worker under `wrangler dev` on
// 127.0.0.1:8787 (local D1, emulated queue, bucket and rate limiters; mail printed to this console) until Ctrl+C.
// With DATABASE_URL=postgres://… it applies the PostgreSQL migrations to that database instead and serves the app on
// it through a local Hyperdrive binding (wrangler.toml plus the binding, in a git-ignored wrangler.postgres.toml).
// Options (after `npm start --`): --port N, --persist-to DIR (another local state folder), --inspector-port N.
// `/__scheduled?cron=…` runs the Worker's scheduled jobs (wrangler's --test-scheduled).
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, applyMigrations, postgresServing, startDevServer } from './dev-server.mjs';

const DEFAULT_PORT = '8787';
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: DEFAULT_PORT },
    'persist-to': { type: 'string' },
    'inspector-port': { type: 'string' },
  },
});
const { port, 'persist-to': persistTo, 'inspector-port': inspectorPort } = values;

// Local secrets live in .dev.vars (git-ignored); the first run makes it from the example with a fresh token secret.
const devVars = join(ROOT, '.dev.vars');
if (!existsSync(devVars)) {
  const example = readFileSync(join(ROOT, '.dev.vars.example'), 'utf8');
  writeFileSync(devVars, example.replace(/^TOKEN_SECRET=.*$/m, `TOKEN_SECRET=${randomBytes(32).toString('hex')}`));
  console.log('created .dev.vars from .dev.vars.example');
}

const databaseUrl = process.env.DATABASE_URL;
let config;
let env = {};
try {
  if (databaseUrl) {
    ({ config, env } = await postgresServing(databaseUrl));
    const { host, pathname } = new URL(databaseUrl);
    console.log(`PostgreSQL migrations applied; serving on ${host}${pathname}`);
  } else {
    applyMigrations({ persistTo, echo: true });
  }
} catch (err) {
  console.error(err.message);
  process.exit(1);
}

// Links in emails (and the first manager's link) must point at the port actually served.
const ownOrigin = port !== DEFAULT_PORT && !/^APP_ORIGIN=/m.test(readFileSync(devVars, 'utf8'));
let server;
try {
  server = await startDevServer({
    port,
    persistTo,
    inspectorPort,
    vars: ownOrigin ? { APP_ORIGIN: `http://127.0.0.1:${port}` } : {},
    testScheduled: true,
    config,
    env,
    echo: true,
  });
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
let stopping = false;
server.exited.then((code) => process.exit(stopping ? 0 : (code ?? 1)));
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    stopping = true;
    void server.stop();
  });
}
// The first /healthz has run: on a database without users the app invited BOOTSTRAP_MANAGER_EMAIL (from .dev.vars)
// and printed that join link above.
console.log(`\nhticket is running at ${server.url}/\nEmails of this run (with their links): ${server.outboxUrl}\n`);
