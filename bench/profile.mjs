/**
 * @module bench/profile — a short look at a few routes, for comparing a change before and after (not for the
 * report): the same seed and server as `npm run bench` (D1), then each chosen route's CPU per request from the OS
 * counters of the Worker's process, as the benchmark reads them.
 *
 *   node bench/profile.mjs [--routes bare,dashboard,modal,create] [--size 1000] [--requests 300] [--rounds 2]
 *
 * `--rounds` loads each route that many times, one route after the other, so drift on a shared machine weighs on
 * every route alike. Ports: BENCH_PORT and BENCH_INSPECTOR_PORT, as for the benchmark.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cpuSnapshot, waitForIdle, wranglerProcesses } from './cpu.mjs';
import { benchRoutes } from './routes.mjs';
import { buildSeed } from './seed.mjs';
import { applyMigrations, runWrangler, startDevServer } from '../scripts/dev-server.mjs';

const { values: args } = parseArgs({
  options: {
    routes: { type: 'string', default: 'bare,dashboard,modal,create' },
    size: { type: 'string', default: '1000' },
    requests: { type: 'string', default: '300' },
    rounds: { type: 'string', default: '2' },
  },
});
const port = Number(process.env.BENCH_PORT ?? 8793);
const inspectorPort = Number(process.env.BENCH_INSPECTOR_PORT ?? 9239);
const groups = args.routes.split(',');
const size = Number(args.size);
const requests = Number(args.requests);

const stateDir = mkdtempSync(join(tmpdir(), 'hticket-profile-'));
let server;
try {
  applyMigrations({ persistTo: stateDir });
  const seed = buildSeed({ database: 'd1' });
  const seedFile = join(stateDir, 'seed.sql');
  writeFileSync(seedFile, seed.sql);
  runWrangler(['d1', 'execute', 'DB', '--local', '--persist-to', stateDir, '--file', seedFile]);
  const url = `http://127.0.0.1:${port}`;
  server = await startDevServer({
    port,
    persistTo: stateDir,
    inspectorPort,
    vars: {
      COUNT_DB_ROUND_TRIPS: '1',
      APP_ORIGIN: url,
      TOKEN_SECRET: randomBytes(32).toString('hex'),
      TURSO_DATABASE_URL: '',
      MAIL_TRANSPORT: 'log',
    },
  });
  const processes = wranglerProcesses(server.pid);
  const routes = benchRoutes(seed.projects, seed.manager.id).filter(
    (r) => groups.includes(r.group) && (r.size === undefined || r.size === size),
  );

  /** `count` requests, eight at a time: returns when all have answered. */
  async function drive(route, count, offset) {
    let next = 0;
    const one = async () => {
      while (next < count) {
        const i = offset + next++;
        const headers = { cookie: seed.cookie, origin: url };
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

  const figures = new Map(routes.map((r) => [r.label, []]));
  let offset = 0;
  for (let round = 0; round < Number(args.rounds); round++) {
    for (const route of routes) {
      await drive(route, 30, (offset += 30));
      await waitForIdle(processes);
      const before = cpuSnapshot(processes).worker;
      await drive(route, requests, (offset += requests));
      await waitForIdle(processes);
      const cpu = (cpuSnapshot(processes).worker - before) / requests;
      figures.get(route.label).push(cpu);
      console.log(`${route.label}: ${cpu.toFixed(2)} ms CPU a request`);
    }
  }
  console.log('\nCPU ms a request, each round:');
  for (const [label, runs] of figures) console.log(`  ${label}: ${runs.map((r) => r.toFixed(2)).join(', ')}`);
} finally {
  await server?.stop();
  rmSync(stateDir, { recursive: true, force: true });
}
