// PostgreSQL for the test suites, the end-to-end run and the benchmark: a throwaway server in a temporary folder
// (Debian's `postgresql` binaries, found under /usr/lib/postgresql/<version>/bin or in HTICKET_PG_BIN), and the
// PostgreSQL migrations applied to a database. Nothing here is used by the Worker.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

// Loaded through Node's own resolution: inside a Worker test project the bundler would pick postgres.js's Workers
// build (cloudflare:sockets), which cannot run here.
const require = createRequire(import.meta.url);
const postgres = require('postgres');
const { drizzle } = require('drizzle-orm/postgres-js');
const { migrate } = require('drizzle-orm/postgres-js/migrator');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const PG_MIGRATIONS = join(root, 'migrations-pg');

/** Applies migrations-pg/ to the database at `url` (postgres://…). */
export async function migratePostgres(url) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle(sql), { migrationsFolder: PG_MIGRATIONS });
  } finally {
    await sql.end();
  }
}

function findBinaries() {
  const candidates = [];
  if (process.env.HTICKET_PG_BIN) candidates.push(process.env.HTICKET_PG_BIN);
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => /^\d+$/.test(v));
    versions.sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(debian, v, 'bin')));
  }
  const found = candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres')));
  if (!found) {
    throw new Error(
      'PostgreSQL server binaries not found: install them (`apt-get install postgresql` on Debian; .ci/run does) ' +
        'or set HTICKET_PG_BIN to the folder holding initdb and postgres',
    );
  }
  return found;
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user (made by Debian's package).
 * Returns the command prefix and the uid/gid that must own the data folder.
 */
function runAs() {
  if (process.getuid?.() !== 0) return { prefix: [], owner: null };
  const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (id.status !== 0) {
    throw new Error('running as root and there is no `postgres` user to run the PostgreSQL server as');
  }
  return {
    prefix: ['setpriv', `--reuid=${id.stdout.trim()}`, `--regid=${gid.stdout.trim()}`, '--clear-groups'],
    owner: [Number(id.stdout), Number(gid.stdout)],
  };
}

/**
 * Starts a fresh server on 127.0.0.1 (port HTICKET_PG_PORT or a free one) with password authentication, and a
 * database `hticket` with the migrations applied. Returns its URL and `stop()`.
 */
export async function startPostgres({ port, log = false } = {}) {
  const bin = findBinaries();
  const { prefix, owner } = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'hticket-pg-'));
  const data = join(dir, 'data');
  const password = 'hticket-test';
  writeFileSync(join(dir, 'pw'), password);
  if (owner) {
    chownSync(dir, owner[0], owner[1]);
    chownSync(join(dir, 'pw'), owner[0], owner[1]);
  }
  chmodSync(dir, 0o700);
  const run = (cmd, args) => {
    const [exe, ...rest] = [...prefix, join(bin, cmd), ...args];
    return spawnSync(exe, rest, { encoding: 'utf8' });
  };
  const init = run('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '--pwfile',
    join(dir, 'pw'),
    '--auth-host=scram-sha-256',
    '--auth-local=trust',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${init.stderr || init.stdout || init.error}`);
  }
  // The password is checked (a wrong one is refused) with md5 rather than SCRAM: a test run opens thousands of
  // connections, and SCRAM's 4,096 hashing rounds on each would dominate it.
  writeFileSync(join(data, 'pg_hba.conf'), 'local all all trust\nhost all all 127.0.0.1/32 md5\n');
  const chosen = Number(port ?? process.env.HTICKET_PG_PORT ?? 0) || (await freePort());
  const [exe, ...args] = [
    ...prefix,
    join(bin, 'postgres'),
    '-D',
    data,
    '-p',
    String(chosen),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'max_connections=200',
    '-c',
    'password_encryption=md5',
  ];
  const server = spawn(exe, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk) => {
    output += chunk;
    if (log) process.stderr.write(chunk);
  };
  server.stdout.on('data', collect);
  server.stderr.on('data', collect);
  const exited = new Promise((resolve) => server.once('exit', resolve));

  const base = `postgres://postgres:${password}@127.0.0.1:${chosen}`;
  const stop = async () => {
    if (server.exitCode === null) {
      server.kill('SIGINT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(`${base}/postgres`, exited, () => output);
    const admin = postgres(`${base}/postgres`, { max: 1, onnotice: () => {} });
    // Stored again as md5 (initdb stored it as SCRAM).
    await admin.unsafe(`alter user postgres password '${password}'`);
    await admin.unsafe('create database hticket');
    await admin.end();
    await migratePostgres(`${base}/hticket`);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `${base}/hticket`, base, port: chosen, password, stop };
}

async function waitReady(url, exited, output) {
  let gone = false;
  exited.then(() => (gone = true));
  for (let i = 0; i < 150; i++) {
    if (gone) throw new Error(`the PostgreSQL server stopped while starting:\n${output()}`);
    const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
    try {
      await sql`select 1`;
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await sql.end({ timeout: 1 });
    }
  }
  throw new Error(`the PostgreSQL server did not accept connections within 15 s:\n${output()}`);
}
