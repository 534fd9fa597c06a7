/**
 * @module bench/profile — a short look at a few routes, for comparing a change before and after (not for the
 * report): the same seed and server as `npm run bench` (D1), then each chosen route's CPU per request from the OS
 * counters of the Worker's process, as the benchmark reads them.
 *
 *   node bench/profile.mjs [--routes bare,dashboard,modal,create] [--size 1000] [--requests 300] [--rounds 2]
 *                          [--floor] [--cpuprofile DIR] [--top 25]
 *
 * `--rounds` loads each route that many times, one route after the other, so drift on a shared machine weighs on
 * every route alike. `--floor` also measures the hello-world Worker (bench/hello) before and after hticket, with its
 * `/d1` batch and `/do` Durable Object announcement, and prints each route above the floor and, for writes, above
 * the floor plus those two (the Worker's own work in production). `--cpuprofile DIR` then loads each route once more
 * under the inspector's CPU profiler, writes `DIR/<route>.cpuprofile` (open it in Chrome's DevTools) and prints its
 * functions with the most self time and the shares of the code they come from; the profiler's own cost is not in the
 * CPU figures above. Ports: BENCH_PORT, BENCH_HELLO_PORT and BENCH_INSPECTOR_PORT, as for the benchmark.
 */
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpuSnapshot, profilerSession, waitForIdle, wranglerProcesses } from './cpu.mjs';
import { benchRoutes, floorRoutes } from './routes.mjs';
import { buildSeed } from './seed.mjs';
import { applyMigrations, runWrangler, startDevServer } from '../scripts/dev-server.mjs';

const { values: args } = parseArgs({
  options: {
    routes: { type: 'string', default: 'bare,dashboard,modal,create' },
    size: { type: 'string', default: '1000' },
    requests: { type: 'string', default: '300' },
    rounds: { type: 'string', default: '2' },
    floor: { type: 'boolean', default: false },
    cpuprofile: { type: 'string' },
    top: { type: 'string', default: '25' },
  },
});
const port = Number(process.env.BENCH_PORT ?? 8793);
const helloPort = Number(process.env.BENCH_HELLO_PORT ?? 8794);
const inspectorPort = Number(process.env.BENCH_INSPECTOR_PORT ?? 9239);
const groups = args.routes.split(',');
const size = Number(args.size);
const requests = Number(args.requests);
const rounds = Number(args.rounds);
const benchDir = dirname(fileURLToPath(import.meta.url));

/** `count` requests, eight at a time: returns when all have answered. */
async function drive(url, cookie, route, count, offset) {
  let next = 0;
  const one = async () => {
    while (next < count) {
      const i = offset + next++;
      const headers = { cookie, origin: url };
      if (route.htmx) headers['hx-request'] = 'true';
      let body;
      if (route.form) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = new URLSearchParams(route.form(i)).toString();
      }
      const res = await fetch(`${url}${route.path}`, { method: route.method, headers, body, redirect: 'manual' });
      await res.arrayBuffer();
      if (res.status >= 400) throw new Error(`${route.label} answered ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, one));
}

let offset = 0;

/** Each route's CPU ms a request, `rounds` times, one route after the other; a list of figures per label. */
async function measure(server, cookie, routes) {
  const processes = wranglerProcesses(server.pid);
  const figures = new Map(routes.map((r) => [r.label, []]));
  for (let round = 0; round < rounds; round++) {
    for (const route of routes) {
      await drive(server.url, cookie, route, 30, (offset += 30));
      await waitForIdle(processes);
      const before = cpuSnapshot(processes).worker;
      await drive(server.url, cookie, route, requests, (offset += requests));
      await waitForIdle(processes);
      const cpu = (cpuSnapshot(processes).worker - before) / requests;
      figures.get(route.label).push(cpu);
      console.log(`${route.label}: ${cpu.toFixed(2)} ms CPU a request`);
    }
  }
  return figures;
}

/** The hello-world Worker's routes (floor, /d1, /do), on the benchmark's database. */
async function measureFloor(stateDir) {
  const server = await startDevServer({
    port: helloPort,
    persistTo: stateDir,
    inspectorPort,
    config: join(benchDir, 'hello', 'wrangler.toml'),
    readyPath: '/',
  });
  try {
    return await measure(
      server,
      '',
      floorRoutes.filter((r) => ['hello', 'd1', 'do'].includes(r.group)),
    );
  } finally {
    await server.stop();
  }
}

/** Where a source file belongs: a package, a folder of src/, or the runtime (no file). */
function originOf(source) {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  // drizzle-orm's source maps name its sources `../src/…`, which resolves to node_modules/src.
  if (pkg) return pkg[1] === 'src' ? 'drizzle-orm' : pkg[1];
  const own = /(?:^|\/)src\/([^/]+)/.exec(source);
  if (own) return `src/${own[1].replace(/\.tsx?$/, '')}`;
  return source ? source.replace(/^.*\//, '') : '(runtime)';
}

/** The source map of the bundle `wrangler dev` serves (its newest build under .wrangler/tmp). */
function bundleSourceMap() {
  const tmp = join(benchDir, '..', '.wrangler', 'tmp');
  const maps = readdirSync(tmp)
    .map((dir) => join(tmp, dir, 'index.js.map'))
    .filter((file) => existsSync(file))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (!maps.length) throw new Error(`no bundle source map under ${tmp}`);
  return new SourceMap(JSON.parse(readFileSync(maps[0], 'utf8')));
}

/**
 * Self time of a profile, per function and per origin (package or src/ folder, through the bundle's source map), in
 * ms and as a share of the busy time (every sample but idle).
 */
function selfTimes(profile, map) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const deltas = profile.timeDeltas ?? [];
  const functions = new Map();
  const origins = new Map();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)?.callFrame ?? {};
    const name = frame.functionName || '(anonymous)';
    if (name === '(idle)' || name === '(root)') return;
    const dt = deltas[i + 1] ?? deltas[i] ?? 0;
    busy += dt;
    const entry = frame.url && frame.lineNumber >= 0 ? map.findEntry(frame.lineNumber, frame.columnNumber) : {};
    const source = entry.originalSource ?? '';
    const origin = source ? originOf(source) : name.startsWith('(') ? name : '(runtime)';
    const where = source ? ` ${source.replace(/^.*?((node_modules|src)\/)/, '$1')}:${entry.originalLine + 1}` : '';
    functions.set(`${name}${where}`, (functions.get(`${name}${where}`) ?? 0) + dt);
    origins.set(origin, (origins.get(origin) ?? 0) + dt);
  });
  const rank = (m) =>
    [...m].sort((a, b) => b[1] - a[1]).map(([key, us]) => ({ key, ms: us / 1000, share: busy ? us / busy : 0 }));
  return { busyMs: busy / 1000, functions: rank(functions), origins: rank(origins) };
}

/** A profiler session through wrangler's inspector proxy (the one `--inspector-port` serves). */
async function openProfiler() {
  const targets = await fetch(`http://127.0.0.1:${inspectorPort}/json`).then((r) => r.json());
  // The proxy asks for a local Origin (a browser's DevTools sends one).
  return profilerSession(targets[0].webSocketDebuggerUrl, { interval: 100, headers: { origin: 'http://127.0.0.1' } });
}

/**
 * Each route once more under the CPU profiler, on an unminified build of the same Worker (readable names; its own
 * server, so the figures above are the deployed, minified code's).
 */
async function profileRoutes(stateDir, vars, cookie, routes, dir) {
  mkdirSync(dir, { recursive: true });
  const server = await startDevServer({ port, persistTo: stateDir, inspectorPort, vars, minify: false });
  try {
    const map = bundleSourceMap();
    const processes = wranglerProcesses(server.pid);
    const profiler = await openProfiler();
    try {
      for (const route of routes) {
        await drive(server.url, cookie, route, 30, (offset += 30));
        await waitForIdle(processes);
        const { profile } = await profiler.profile(() =>
          drive(server.url, cookie, route, requests, (offset += requests)),
        );
        const file = join(dir, `${route.group}${route.size ? `-${route.size}` : ''}.cpuprofile`);
        writeFileSync(file, JSON.stringify(profile));
        const times = selfTimes(profile, map);
        const line = (t) =>
          `    ${(t.share * 100).toFixed(1).padStart(5)}%  ${(t.ms / requests).toFixed(3)} ms  ${t.key}`;
        console.log(`\n${route.label}: ${file}`);
        console.log(`  busy ${(times.busyMs / requests).toFixed(2)} ms a request (the profiler samples wall time)`);
        console.log('  self time by origin:');
        for (const t of times.origins.slice(0, 14)) console.log(line(t));
        console.log('  self time by function:');
        for (const t of times.functions.slice(0, Number(args.top))) console.log(line(t));
        await waitForIdle(processes);
      }
    } finally {
      profiler.close();
    }
  } finally {
    await server.stop();
  }
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

const stateDir = mkdtempSync(join(tmpdir(), 'hticket-profile-'));
let server;
try {
  applyMigrations({ persistTo: stateDir });
  const seed = buildSeed({ database: 'd1' });
  const seedFile = join(stateDir, 'seed.sql');
  writeFileSync(seedFile, seed.sql);
  runWrangler(['d1', 'execute', 'DB', '--local', '--persist-to', stateDir, '--file', seedFile]);
  const floorBefore = args.floor ? await measureFloor(stateDir) : null;

  const url = `http://127.0.0.1:${port}`;
  const vars = {
    COUNT_DB_ROUND_TRIPS: '1',
    APP_ORIGIN: url,
    TOKEN_SECRET: randomBytes(32).toString('hex'),
    TURSO_DATABASE_URL: '',
    MAIL_TRANSPORT: 'log',
  };
  server = await startDevServer({ port, persistTo: stateDir, inspectorPort, vars });
  const routes = benchRoutes(seed.projects, seed.manager.id).filter(
    (r) => groups.includes(r.group) && (r.size === undefined || r.size === size),
  );
  const figures = await measure(server, seed.cookie, routes);
  await server.stop();
  server = undefined;
  if (args.cpuprofile) await profileRoutes(stateDir, vars, seed.cookie, routes, args.cpuprofile);
  const floorAfter = args.floor ? await measureFloor(stateDir) : null;

  console.log('\nCPU ms a request, each round:');
  for (const [label, runs] of figures) console.log(`  ${label}: ${runs.map((r) => r.toFixed(2)).join(', ')}`);
  if (floorBefore && floorAfter) {
    const floorOf = (group) => {
      const label = floorRoutes.find((r) => r.group === group).label;
      return [...floorBefore.get(label), ...floorAfter.get(label)];
    };
    const hello = mean(floorOf('hello'));
    const d1 = mean(floorOf('d1')) - hello;
    const room = mean(floorOf('do')) - hello;
    console.log(
      `\nFloor (hello-world Worker, before and after): ${floorOf('hello')
        .map((r) => r.toFixed(2))
        .join(
          ', ',
        )} → ${hello.toFixed(2)} ms; local D1 batch +${d1.toFixed(2)} ms; Durable Object announcement +${room.toFixed(2)} ms`,
    );
    console.log('Mean CPU ms a request: total, above the floor, and without the local D1 (and for writes the object):');
    for (const route of routes) {
      const total = mean(figures.get(route.label));
      const own = total - hello - (route.hot ? d1 : 0) - (route.method === 'POST' ? room : 0);
      console.log(
        `  ${route.label}: ${total.toFixed(2)}, ${(total - hello).toFixed(2)} above the floor, own ${own.toFixed(2)}`,
      );
    }
  }
} finally {
  await server?.stop();
  rmSync(stateDir, { recursive: true, force: true });
}
