/**
 * @module scripts/dev-server — the one way hticket is served locally, used by `npm start`, the end-to-end suite and
 * the benchmark: apply the migrations to a local D1 state folder, then run the Worker under `wrangler dev` on
 * 127.0.0.1 (local D1, emulated queue, bucket and rate limiters) until `/healthz` answers.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'node_modules', '.bin');
const WRANGLER = join(BIN, 'wrangler');

/**
 * Wrangler needs Node 22: the repository's Node (the `node` devDependency) comes first on PATH, so the scripts also
 * work when started with the system `node`. No metrics, no network look-ups, no prompts.
 */
export function wranglerEnv() {
  return {
    ...process.env,
    PATH: `${BIN}:${process.env.PATH ?? ''}`,
    CI: 'true',
    WRANGLER_SEND_METRICS: 'false',
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  };
}

/**
 * Runs a wrangler command to completion. `echo` shows its output as it runs; otherwise the output is kept and shown
 * only when it fails. Returns stdout (empty when echoed).
 */
export function runWrangler(args, { echo = false } = {}) {
  const run = spawnSync(WRANGLER, args, {
    cwd: ROOT,
    env: wranglerEnv(),
    encoding: 'utf8',
    stdio: echo ? 'inherit' : 'pipe',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) {
    const output = echo ? '' : `:\n${run.stdout}\n${run.stderr}`;
    throw new Error(`wrangler ${args.join(' ')} failed (${run.status ?? run.signal})${output}`);
  }
  return run.stdout ?? '';
}

/** Applies `migrations/` to the local D1 database (`.wrangler/state`, or `persistTo`). */
export function applyMigrations({ persistTo, echo = false } = {}) {
  runWrangler(['d1', 'migrations', 'apply', 'DB', '--local', ...persistArgs(persistTo)], { echo });
}

/**
 * Serving on PostgreSQL, the way `npm start` does with DATABASE_URL (also the end-to-end suite and the benchmark):
 * checks that the URL is a postgres:// one (the error names DATABASE_URL), applies `migrations-pg/` to that database,
 * and writes a wrangler configuration next to wrangler.toml (relative paths in it stay right): wrangler.toml plus a
 * local Hyperdrive binding. The connection string reaches wrangler through the environment, never a file. Returns
 * what `startDevServer` takes (`config`, `env`) and `remove()` for the written configuration.
 *
 * @param {string} databaseUrl
 * @param {{ name?: string }} [options] the configuration's file name (git-ignored: wrangler.postgres*.toml)
 */
export async function postgresServing(databaseUrl, { name = 'wrangler.postgres.toml' } = {}) {
  if (!/^postgres(ql)?:\/\/./.test(databaseUrl)) {
    throw new Error('DATABASE_URL must be a postgres:// URL (for example postgres://postgres@127.0.0.1:5432/hticket)');
  }
  const { migratePostgres } = await import('./postgres.mjs');
  await migratePostgres(databaseUrl);
  const config = join(ROOT, name);
  writeFileSync(
    config,
    `# Made by scripts/dev-server.mjs for DATABASE_URL: wrangler.toml plus a local Hyperdrive binding. Not edited by hand.\n` +
      `${readFileSync(join(ROOT, 'wrangler.toml'), 'utf8')}\n` +
      `[[hyperdrive]]\nbinding = "HYPERDRIVE"\nid = "00000000000000000000000000000000"\n`,
  );
  return {
    config,
    env: { CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: databaseUrl, DATABASE_URL: '' },
    remove: () => rmSync(config, { force: true }),
  };
}

const persistArgs = (persistTo) => (persistTo ? ['--persist-to', persistTo] : []);

/**
 * @typedef {object} DevServer
 * @property {string} url
 * @property {string} outboxUrl the development outbox with this run's key
 * @property {number} pid wrangler's pid, also its process group
 * @property {() => string} output the last 200,000 characters wrangler and the Worker printed
 * @property {(re: RegExp, ms?: number) => Promise<RegExpMatchArray>} waitForOutput
 * @property {Promise<number | null>} exited settles when wrangler ends, with its exit code
 * @property {() => Promise<void>} stop ends wrangler and the workerd it started
 */

/**
 * Serves the Worker with `wrangler dev` (the migrations must already be applied) and resolves once `/healthz`
 * answers: that first request also lets the app do its first-request work (the first manager's invitation).
 *
 * @param {object} options
 * @param {number | string} options.port
 * @param {string} [options.persistTo] a local state folder other than `.wrangler/state`
 * @param {Record<string, string>} [options.vars] `--var NAME:VALUE` overrides of `wrangler.toml` and `.dev.vars`
 * @param {boolean} [options.testScheduled] serve `/__scheduled?cron=…`, which runs the `scheduled` handler
 * @param {number | string} [options.inspectorPort] the DevTools inspector's port (wrangler's default is 9229)
 * @param {string} [options.config] another wrangler configuration (the benchmark's hello-world floor, PostgreSQL)
 * @param {Record<string, string>} [options.env] more environment variables for wrangler
 * @param {string} [options.readyPath] the path that must answer 200 before the server counts as up
 * @param {boolean} [options.minify] false serves the Worker unminified (CPU profiles with readable names)
 * @param {boolean} [options.echo] also print everything to this process's stdout and stderr
 * @param {number} [options.timeoutMs]
 * @returns {Promise<DevServer>}
 */
export async function startDevServer({
  port,
  persistTo,
  vars = {},
  testScheduled = false,
  inspectorPort,
  config,
  env = {},
  readyPath = '/healthz',
  minify,
  echo = false,
  timeoutMs = 90_000,
}) {
  const url = `http://127.0.0.1:${port}`;
  // Something else answering on the port would be tested or measured instead of this server.
  const busy = await fetch(`${url}/`).then(
    () => true,
    () => false,
  );
  if (busy) throw new Error(`port ${port} is already in use; choose another`);

  const args = ['dev', '--ip', '127.0.0.1', '--port', String(port), '--show-interactive-dev-session=false'];
  args.push(...persistArgs(persistTo));
  if (testScheduled) args.push('--test-scheduled');
  if (inspectorPort !== undefined) args.push('--inspector-port', String(inspectorPort));
  if (config) args.push('--config', config);
  if (minify === false) args.push('--minify=false');
  // A fresh key for the development outbox on every run: the outbox (emails with their join and reset links) answers
  // only with it, and only this console shows it (with the first manager's link, and in `npm start`'s last line).
  const outboxKey = vars.DEV_OUTBOX_KEY ?? randomBytes(24).toString('base64url');
  for (const [name, value] of Object.entries({ ...vars, DEV_OUTBOX_KEY: outboxKey })) {
    args.push('--var', `${name}:${value}`);
  }

  // Its own process group: stopping it by -pid ends wrangler and the workerd it started, even if wrangler hangs.
  const child = spawn(WRANGLER, args, {
    cwd: ROOT,
    env: { ...wranglerEnv(), ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (stream) => (chunk) => {
    log = (log + chunk).slice(-200_000);
    if (echo) stream.write(chunk);
  };
  child.stdout.setEncoding('utf8').on('data', keep(process.stdout));
  child.stderr.setEncoding('utf8').on('data', keep(process.stderr));
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  const running = () => child.exitCode === null && child.signalCode === null;

  const signalGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  let stopping;
  const stop = () =>
    (stopping ??= (async () => {
      if (!running()) return;
      signalGroup('SIGTERM');
      const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), 5000));
      if ((await Promise.race([exited, timeout])) === 'timeout') {
        signalGroup('SIGKILL');
        await exited;
      }
    })());

  const waitForOutput = async (re, ms = 10_000) => {
    const end = Date.now() + ms;
    for (;;) {
      const match = log.match(re);
      if (match) return match;
      if (Date.now() > end) throw new Error(`server output never matched ${re}:\n${log.slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!running()) {
      throw new Error(`wrangler dev exited (${child.exitCode ?? child.signalCode})${echo ? '' : `:\n${log}`}`);
    }
    try {
      const res = await fetch(`${url}${readyPath}`);
      await res.arrayBuffer();
      if (res.ok) {
        const outboxUrl = `${url}/dev/mail?key=${outboxKey}`;
        return { url, outboxUrl, pid: child.pid, output: () => log, waitForOutput, exited, stop };
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `wrangler dev did not answer ${readyPath} within ${timeoutMs / 1000} s${echo ? '' : `:\n${log}`}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
