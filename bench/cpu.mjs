/**
 * @module bench/cpu — CPU time per request from the operating system's counters, and the Worker isolate's share of it
 * from the inspector's CPU profile.
 *
 * `wrangler dev` runs two workerd processes: a development proxy that owns the public port (and the inspector port),
 * and the runtime that runs the Worker itself, with the local D1, queue and R2 simulators beside it. The figure that
 * matters is the runtime's: utime + stime of that process (and any children), read from /proc before and after a load
 * and divided by the requests served. The proxy and wrangler's own Node process are reported apart.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS = (() => {
  const run = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const ticks = Number(run.stdout?.trim());
  return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
})();

function readStat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name sits in parentheses and may hold spaces; the fields after it are positional.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(fields[1]), utime: Number(fields[11]), stime: Number(fields[12]) };
  } catch {
    return null;
  }
}

function commandLine(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

function descendants(rootPid) {
  const stats = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter(Boolean);
  const found = [rootPid];
  for (let i = 0; i < found.length; i++) {
    for (const s of stats) if (s.ppid === found[i]) found.push(s.pid);
  }
  return found;
}

/**
 * The processes of one `wrangler dev`: `worker` is the workerd that runs the Worker (started with an inspector
 * address of its own), `proxy` the workerd in front of it, `wrangler` the Node processes. Each is a list of pids.
 */
export function wranglerProcesses(rootPid) {
  const groups = { worker: [], proxy: [], wrangler: [] };
  for (const pid of descendants(rootPid)) {
    const args = commandLine(pid);
    const exe = args[0] ?? '';
    if (exe.endsWith('/workerd')) {
      (args.some((a) => a.startsWith('--inspector-addr')) ? groups.worker : groups.proxy).push(pid);
    } else if (/\bnode$/.test(exe)) {
      groups.wrangler.push(pid);
    }
  }
  // Children of the Worker's runtime count as the Worker's.
  groups.worker = groups.worker.flatMap((pid) => descendants(pid));
  if (!groups.worker.length) throw new Error(`no workerd runtime found under pid ${rootPid}`);
  return groups;
}

/** CPU milliseconds (user + system) used so far by each group of processes. */
export function cpuSnapshot(groups) {
  const out = {};
  for (const [name, pids] of Object.entries(groups)) {
    out[name] = pids.reduce((sum, pid) => {
      const s = readStat(pid);
      return sum + (s ? ((s.utime + s.stime) * 1000) / CLOCK_TICKS : 0);
    }, 0);
  }
  return out;
}

/**
 * Waits until the Worker's process is idle: less than `quietMs` of CPU in each of two windows of `windowMs` (or
 * `timeoutMs` passes). Writes queue emails, and the local queue consumer runs in the same process after the load has
 * ended; a route's figure waits for that work, and the next route does not start under it.
 */
export async function waitForIdle(groups, { windowMs = 500, quietMs = 15, timeoutMs = 30_000 } = {}) {
  const end = Date.now() + timeoutMs;
  let quiet = 0;
  let last = cpuSnapshot(groups).worker;
  while (Date.now() < end && quiet < 2) {
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const now = cpuSnapshot(groups).worker;
    quiet = now - last < quietMs ? quiet + 1 : 0;
    last = now;
  }
  return quiet >= 2;
}

/** Milliseconds of CPU per request, per group, between two snapshots. */
export function cpuPerRequest(before, after, requests) {
  const out = {};
  for (const name of Object.keys(after)) out[name] = requests > 0 ? (after[name] - before[name]) / requests : null;
  return out;
}

/**
 * A DevTools Protocol session at `url` with the CPU profiler on, sampling every `interval` µs. `profile(work)`
 * answers what `work()` answered and the profile taken while it ran. `headers` go with the WebSocket's handshake
 * (wrangler's inspector proxy asks for a local Origin).
 */
export async function profilerSession(url, { interval, headers } = {}) {
  const socket = new WebSocket(url, headers ? { headers } : undefined);
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', () => reject(new Error(`cannot open the inspector at ${url}`)), { once: true });
  });
  let nextId = 1;
  const pending = new Map();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data));
    const waiting = message.id !== undefined && pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    if (message.error) waiting.reject(new Error(`${message.error.message} (${message.error.code})`));
    else waiting.resolve(message.result);
  });
  let closed = null;
  socket.addEventListener('close', (event) => {
    closed = new Error(`the inspector closed the session (${event.code})`);
    for (const waiting of pending.values()) waiting.reject(closed);
    pending.clear();
  });
  const send = (method, params = {}) =>
    new Promise((resolve, reject) => {
      if (closed) return reject(closed);
      const id = nextId++;
      pending.set(id, { resolve, reject });
      socket.send(JSON.stringify({ id, method, params }));
    });
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval });
  return {
    async profile(work) {
      await send('Profiler.start');
      const result = await work();
      const { profile } = await send('Profiler.stop');
      return { result, profile };
    },
    close: () => socket.close(),
  };
}

const IDLE = new Set(['(idle)', '(root)']);

/**
 * What a CPU profile says: milliseconds the isolate was busy (every sample but idle), and the functions (name and
 * source) that took the most of it, self time.
 */
export function summarizeProfile(profile, top = 8) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const deltas = profile.timeDeltas ?? [];
  const self = new Map();
  let busyUs = 0;
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const dt = deltas[i + 1] ?? deltas[i] ?? 0;
    totalUs += dt;
    const node = byId.get(id);
    const frame = node?.callFrame ?? {};
    const name = frame.functionName || '(anonymous)';
    if (IDLE.has(name)) return;
    busyUs += dt;
    const source = (frame.url || '').replace(/^.*\/(node_modules\/|src\/)/, '$1');
    const key = `${name} ${source ? `${source}:${(frame.lineNumber ?? 0) + 1}` : ''}`.trim();
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  const hottest = [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([fn, us]) => ({ fn, ms: us / 1000, share: busyUs ? us / busyUs : 0 }));
  return { busyMs: busyUs / 1000, totalMs: totalUs / 1000, hottest };
}
