/** @module bench/run — `npm run bench`: seed, serve, load every hot route, write the report and the README figures. */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { summarizeProfile, wranglerProcesses } from './cpu.mjs';
import { countTicketRows, measureFirstLoad, measureRoute, measureSignIn, mergeFloors, mergeRuns } from './measure.mjs';
import { evaluateTargets, readmeFigures, updateReadme, withRatios, writeResults } from './report.mjs';
import { benchRoutes, floorRoutes } from './routes.mjs';
import { buildSeed } from './seed.mjs';
import { applyMigrations, postgresServing, runWrangler, startDevServer } from '../scripts/dev-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = join(root, 'bench');
const stateDir = join(benchDir, '.state');

const numberFromEnv = (name, fallback) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number (got ${process.env[name]})`);
  return value;
};
const options = {
  port: numberFromEnv('BENCH_PORT', 8793),
  helloPort: numberFromEnv('BENCH_HELLO_PORT', 8794),
  inspectorPort: numberFromEnv('BENCH_INSPECTOR_PORT', 9239),
  duration: numberFromEnv('BENCH_DURATION', 5),
  warmup: numberFromEnv('BENCH_WARMUP', 1),
  connections: numberFromEnv('BENCH_CONNECTIONS', 10),
  pgPort: numberFromEnv('BENCH_PG_PORT', 0),
};

/**
 * The backends to measure, in order: `--database d1` (the default), `postgres`, or `both` (D1 then PostgreSQL, in
 * one run, so the report sets them side by side). BENCH_DATABASE says the same. The first is the report's main one.
 */
const DATABASE_NAMES = { d1: 'D1', postgres: 'PostgreSQL' };
const { values: args } = parseArgs({ options: { database: { type: 'string' }, 'first-load': { type: 'boolean' } } });
const chosen = args.database ?? process.env.BENCH_DATABASE ?? 'd1';
const databases = chosen === 'both' ? ['d1', 'postgres'] : [chosen];
if (!databases.every((d) => d in DATABASE_NAMES)) {
  throw new Error(`--database must be d1, postgres or both (got ${chosen})`);
}

const started = performance.now();
const loadAtStart = loadavg()[0];
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
const step = (message) => console.log(`[bench ${elapsed()}] ${message}`);

let server;
/** What the PostgreSQL backend started (its server, the wrangler configuration), undone on the way out. */
let cleanups = [];
async function shutdown() {
  await server?.stop();
  for (const fn of cleanups.splice(0).reverse()) await fn();
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`\n[bench] ${signal}: stopping the server`);
    shutdown().finally(() => process.exit(130));
  });
}

function gzipFile(path) {
  const bytes = readFileSync(path);
  return { raw: bytes.byteLength, gzip: gzipSync(bytes).byteLength };
}

/** Bytes each package contributes to the bundle (esbuild's metafile), largest first: where to look when it grows. */
function bundleShares(metafile, file) {
  const output = Object.entries(JSON.parse(readFileSync(metafile, 'utf8')).outputs).find(([name]) =>
    name.endsWith(file),
  )?.[1];
  const shares = new Map();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input.slice(input.lastIndexOf('node_modules/')));
    const owner = match ? match[1] : input.startsWith('src/') ? 'src (hticket)' : 'other';
    shares.set(owner, (shares.get(owner) ?? 0) + bytesInOutput);
  }
  return [...shares].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/** The Worker as `wrangler deploy` would upload it, built without deploying (and once minified, for comparison). */
function measureBundle() {
  const build = (extra) => {
    const out = mkdtempSync(join(tmpdir(), 'hticket-bundle-'));
    try {
      runWrangler(['deploy', '--dry-run', '--outdir', out, '--metafile', join(out, 'meta.json'), ...extra]);
      const scripts = readdirSync(out).filter((name) => name.endsWith('.js'));
      const file = scripts.includes('index.js') ? 'index.js' : scripts[0];
      if (!file) throw new Error(`wrangler deploy --dry-run wrote no JavaScript to ${out}`);
      return { file, ...gzipFile(join(out, file)), shares: bundleShares(join(out, 'meta.json'), file) };
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  };
  // wrangler.toml sets `minify = true`: this is the deployed file.
  return build([]);
}

/** The startup budget: CPU milliseconds to evaluate the bundle and its top level, in `wrangler check startup`. */
export const STARTUP_BUDGET_MS = 150;

/**
 * `wrangler check startup` builds the Worker as deployed and profiles its startup in a local workerd; the profile's
 * busy time (every sample but idle) is the startup CPU. The profile samples wall time, so a busy machine inflates a
 * run (never deflates it): the least of three runs is the figure.
 */
function measureStartup(bundle) {
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const out = mkdtempSync(join(tmpdir(), 'hticket-startup-'));
    try {
      const file = join(out, 'startup.cpuprofile');
      runWrangler(['check', 'startup', '--outfile', file]);
      runs.push(summarizeProfile(JSON.parse(readFileSync(file, 'utf8'))).busyMs);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
  return {
    method: '`wrangler check startup`, busy time of its CPU profile',
    cpuMs: Math.min(...runs),
    runs,
    budgetMs: STARTUP_BUDGET_MS,
    bundleRaw: bundle.raw,
    bundleGzip: bundle.gzip,
  };
}

/**
 * The floor: a hello-world Worker (`bench/hello`) served by the same wrangler and workerd, loaded like every route,
 * with its `/d1` batch beside it. Measured before and after hticket, so both ends of the run weigh on it.
 */
async function measureFloor(when, routes) {
  step(`floor (${when}): hello-world Worker on 127.0.0.1:${options.helloPort}`);
  server = await startDevServer({
    port: options.helloPort,
    persistTo: stateDir,
    inspectorPort: options.inspectorPort,
    config: join(benchDir, 'hello', 'wrangler.toml'),
    readyPath: '/',
  });
  try {
    const ctx = { url: server.url, cookie: '', processes: wranglerProcesses(server.pid) };
    const out = {};
    for (const route of routes) {
      out[route.group] = await measureRoute(route, ctx, options);
      const r = out[route.group];
      step(`${route.label}: ${Math.round(r.requestsPerSecond)} req/s, ${r.cpu?.worker?.toFixed(2)} ms CPU a request`);
    }
    return out;
  } finally {
    await server.stop();
    server = undefined;
  }
}

/**
 * Seeds the backend with the same data set (SQL made by bench/seed for its dialect): D1 in bench/.state, or a fresh
 * PostgreSQL server of its own (scripts/postgres.mjs) served the way `DATABASE_URL=… npm start` serves it.
 * Returns the seed and what `startDevServer` needs for that backend.
 */
async function seedBackend(database) {
  const seed = buildSeed({ database });
  const sizes = seed.projects.map((p) => `${p.key} (${p.tickets.toLocaleString('en')} tickets)`).join(', ');
  if (database === 'd1') {
    const seedDir = mkdtempSync(join(tmpdir(), 'hticket-seed-'));
    try {
      const seedFile = join(seedDir, 'seed.sql');
      writeFileSync(seedFile, seed.sql);
      step(`seeding D1 with ${sizes}`);
      runWrangler(['d1', 'execute', 'DB', '--local', '--persist-to', stateDir, '--file', seedFile]);
    } finally {
      rmSync(seedDir, { recursive: true, force: true });
    }
    return { seed, serving: {} };
  }
  const { startPostgres } = await import('../scripts/postgres.mjs');
  const pg = await startPostgres({ port: options.pgPort || undefined });
  cleanups.push(pg.stop);
  step(`seeding PostgreSQL (127.0.0.1:${pg.port}) with ${sizes}`);
  const { default: postgres } = await import('postgres');
  const sql = postgres(pg.url, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(seed.sql).simple();
    // Fresh statistics, as autovacuum would have them on a database that grew to this size.
    await sql.unsafe('analyze');
  } finally {
    await sql.end();
  }
  const serving = await postgresServing(pg.url, { name: 'wrangler.postgres-bench.toml' });
  cleanups.push(serving.remove);
  return { seed, serving };
}

/** Serves hticket on one backend and loads every route; the sign-in and the first load too. */
async function measureBackend(database) {
  const { seed, serving } = await seedBackend(database);
  step(`starting wrangler dev on 127.0.0.1:${options.port} (${DATABASE_NAMES[database]})`);
  const url = `http://127.0.0.1:${options.port}`;
  server = await startDevServer({
    port: options.port,
    persistTo: stateDir,
    inspectorPort: options.inspectorPort,
    config: serving.config,
    env: serving.env,
    vars: {
      COUNT_DB_ROUND_TRIPS: '1',
      APP_ORIGIN: url,
      // The benchmark measures the chosen backend whatever .dev.vars says, with mail printed to the console.
      TOKEN_SECRET: randomBytes(32).toString('hex'),
      TURSO_DATABASE_URL: '',
      MAIL_TRANSPORT: 'log',
    },
  });
  step(`server up (pid ${server.pid})`);
  const ctx = { url, cookie: seed.cookie, processes: wranglerProcesses(server.pid) };

  const dashboard = await fetch(`${url}/`, { headers: { cookie: seed.cookie }, redirect: 'manual' });
  await dashboard.arrayBuffer();
  if (dashboard.status !== 200) {
    throw new Error(`the seeded session does not open the dashboard (status ${dashboard.status}): the seed is wrong`);
  }

  const routes = benchRoutes(seed.projects, seed.manager.id);
  const FLAT_GROUPS = ['list', 'board'];
  const measure = async (i, pass) => {
    const route = routes[i];
    const result = await measureRoute(route, ctx, options);
    const shown =
      result.outcome === 'measured'
        ? `${Math.round(result.requestsPerSecond)} req/s, p99 ${result.latencyP99} ms, ${result.roundTrips ?? '?'} trips`
        : result.outcome === 'missing'
          ? 'route missing (404)'
          : `answered ${result.status}`;
    step(`${route.label}${route.size ? ` @ ${route.size}` : ''}${pass > 1 ? ' (again)' : ''}: ${shown}`);
    return result;
  };
  const results = [];
  for (let i = 0; i < routes.length; i++) {
    results[i] = await measure(i, 1);
    // The list and the board, whose 100,000-to-10 ratios are targets, are measured three times (smallest first,
    // largest first, smallest first again), so drift on a shared machine weighs on both ends of a ratio alike.
    const group = routes[i].group;
    if (FLAT_GROUPS.includes(group) && routes[i + 1]?.group !== group) {
      const sizes = routes.flatMap((r, j) => (r.group === group ? [j] : []));
      for (const [pass, order] of [
        [2, [...sizes].reverse()],
        [3, sizes],
      ]) {
        for (const j of order) results[j] = mergeRuns(results[j], await measure(j, pass));
      }
    }
  }
  // The bare route again at the end: the ratios then do not hang on one sample taken before everything else.
  const bareIndex = routes.findIndex((r) => r.group === 'bare');
  results[bareIndex] = mergeRuns(results[bareIndex], await measure(bareIndex, 2));

  const signIn = await measureSignIn(ctx, seed.signInUser);
  step(`sign-in: ${signIn.cpu.worker.toFixed(1)} ms CPU a request (${JSON.stringify(signIn.statuses)})`);
  const firstLoad = await measureFirstLoad(ctx);
  step(`first load: ${firstLoad.requests} requests, ${firstLoad.gzip} bytes gzip`);
  const largestList = results.find((r) => r.group === 'list' && r.size === 100_000);
  const listKey = seed.projects.find((p) => p.tickets === 100_000).key;
  const listPartial =
    largestList?.outcome === 'measured'
      ? { raw: largestList.bytes.raw, rows: countTicketRows(largestList.probeText, listKey) }
      : null;

  await server.stop();
  server = undefined;
  for (const fn of cleanups.splice(0).reverse()) await fn();
  return { database, results, bare: results[bareIndex], signIn, firstLoad, listPartial };
}

/**
 * `npm run bench -- --first-load`: only the first load (the page and the files it loads, gzip), on the seeded data,
 * in a minute instead of the whole run. Prints the figures; writes no report.
 */
async function measureFirstLoadOnly() {
  step('fresh state in bench/.state; measuring the first load only');
  rmSync(stateDir, { recursive: true, force: true });
  applyMigrations({ persistTo: stateDir });
  const { seed } = await seedBackend('d1');
  const url = `http://127.0.0.1:${options.port}`;
  server = await startDevServer({
    port: options.port,
    persistTo: stateDir,
    inspectorPort: options.inspectorPort,
    vars: { APP_ORIGIN: url, TOKEN_SECRET: randomBytes(32).toString('hex'), TURSO_DATABASE_URL: '' },
  });
  const firstLoad = await measureFirstLoad({ url, cookie: seed.cookie });
  if (!firstLoad.ok) throw new Error(`the first load did not answer 200 (${JSON.stringify(firstLoad)})`);
  for (const r of firstLoad.resources)
    console.log(`${r.path.padEnd(12)} ${String(r.raw).padStart(8)} raw ${String(r.gzip).padStart(7)} gzip`);
  console.log(
    `${firstLoad.requests} requests  ${String(firstLoad.raw).padStart(8)} raw ${String(firstLoad.gzip).padStart(7)} gzip`,
  );
}

async function main() {
  step(`fresh state in bench/.state; measuring ${databases.map((d) => DATABASE_NAMES[d]).join(' and ')}`);
  rmSync(stateDir, { recursive: true, force: true });
  applyMigrations({ persistTo: stateDir });

  const floorStart = await measureFloor('before', floorRoutes);
  const backends = [];
  for (const database of databases) backends.push(await measureBackend(database));
  const [first, ...others] = backends;
  const { results, signIn, firstLoad, listPartial } = first;
  const bareRps = first.bare.requestsPerSecond ?? 0;

  // The password hashes are measured once: they are far above the floor's noise.
  const floorEnd = await measureFloor(
    'after',
    floorRoutes.filter((r) => ['hello', 'd1', 'do'].includes(r.group)),
  );
  const floor = mergeFloors(floorStart, floorEnd);
  step('building the Worker bundle');
  const bundle = measureBundle();
  step('profiling the Worker startup');
  const startup = measureStartup(bundle);
  step(`startup: ${startup.cpuMs.toFixed(1)} ms CPU (runs ${startup.runs.map((r) => r.toFixed(1)).join(', ')})`);

  const measured = withRatios(results, bareRps, floor);
  const report = {
    run: {
      date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
      node: process.versions.node,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
      connections: options.connections,
      duration: options.duration,
      warmup: options.warmup,
      database: DATABASE_NAMES[first.database],
      bareRequestsPerSecond: bareRps,
      bareRuns: first.bare.samples ?? [],
      elapsedSeconds: (performance.now() - started) / 1000,
      // Other work on the machine slows both sides; the 1-minute load average tells how busy it was.
      loadAverage: [loadAtStart, loadavg()[0]],
    },
    targets: evaluateTargets({ routes: measured, firstLoad, bundle, listPartial, floor, startup }),
    startup,
    floor,
    signIn,
    routes: measured,
    firstLoad,
    listPartial,
    bundle,
    // The other backends of the run, measured the same way, for the side-by-side table.
    compare: others.map((b) => {
      const routes = withRatios(b.results, b.bare.requestsPerSecond ?? 0, floor);
      const targets = evaluateTargets({ routes, firstLoad: b.firstLoad, bundle, listPartial: b.listPartial, floor });
      return {
        database: DATABASE_NAMES[b.database],
        routes,
        signIn: b.signIn,
        targets: targets.filter((t) => ['roundTrips', 'listRatio', 'boardRatio'].includes(t.id)),
      };
    }),
  };
  const baselineFile = join(benchDir, 'baseline.json');
  if (existsSync(baselineFile)) report.baseline = JSON.parse(readFileSync(baselineFile, 'utf8'));
  const markdown = writeResults(benchDir, report);
  const readme = await updateReadme(join(root, 'README.md'), readmeFigures(report));
  console.log(`\n${markdown}`);
  step(`wrote bench/results.md and bench/results.json${readme ? ' and the README figures' : ''}`);
}

try {
  await (args['first-load'] ? measureFirstLoadOnly() : main());
} catch (err) {
  console.error(`[bench] failed: ${err instanceof Error ? err.message : err}`);
  if (server) console.error(`[bench] last server output:\n${server.output().slice(-4000)}`);
  process.exitCode = 1;
} finally {
  await shutdown();
}
