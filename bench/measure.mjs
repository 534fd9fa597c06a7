/** @module bench/measure — one probe request per route (status, round trips, bytes), then load with autocannon. */
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { cpuPerRequest, cpuSnapshot, waitForIdle } from './cpu.mjs';

export const ROUND_TRIP_HEADER = 'x-db-round-trips';

/** Raw and gzip size (zlib's default level, what a typical server or CDN sends) of a body. */
export function sizes(bytes) {
  return { raw: bytes.byteLength, gzip: bytes.byteLength ? gzipSync(bytes).byteLength : 0 };
}

/** The headers a browser (or htmx) sends for this route. */
export function requestHeaders(route, { url, cookie }) {
  const headers = { cookie };
  if (route.htmx) {
    headers['hx-request'] = 'true';
    headers['hx-current-url'] = `${url}/`;
  }
  if (route.method !== 'GET') {
    headers.origin = url;
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  return headers;
}

function formBody(route, i) {
  return route.form ? new URLSearchParams(route.form(i)).toString() : undefined;
}

/** One plain request: what the route answers, how many database round trips it took, how large the body is. */
export async function probe(route, ctx) {
  const res = await fetch(`${ctx.url}${route.path}`, {
    method: route.method,
    headers: requestHeaders(route, ctx),
    body: formBody(route, 0),
    redirect: 'manual',
  });
  const body = new Uint8Array(await res.arrayBuffer());
  const trips = res.headers.get(ROUND_TRIP_HEADER);
  return {
    status: res.status,
    roundTrips: trips === null ? null : Number(trips),
    bytes: sizes(body),
    text: new TextDecoder().decode(body),
  };
}

/** Counts write requests across the whole run, so every title and comment the benchmark sends is distinct. */
let sent = 0;

/** Drives the route with autocannon; every request of a write carries a fresh form body. */
export async function load(route, ctx, { connections, duration }) {
  const request = {
    method: route.method,
    path: route.path,
    headers: requestHeaders(route, ctx),
  };
  if (route.form) {
    request.body = formBody(route, 0);
    request.setupRequest = (req) => ({ ...req, body: formBody(route, ++sent) });
  }
  const result = await autocannon({
    url: ctx.url,
    connections,
    duration,
    requests: [request],
    timeout: 30,
  });
  return {
    requestsPerSecond: result.requests.average,
    requests: result.requests.total,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    latencyMean: result.latency.average,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([k, v]) => [k, v.count])),
  };
}

/** A probe first; a route that does not exist (404) or fails is reported as such instead of being loaded. */
export async function measureRoute(route, ctx, opts) {
  const first = await probe(route, ctx);
  const base = {
    group: route.group,
    label: route.label,
    size: route.size ?? null,
    method: route.method,
    path: route.path,
    hot: route.hot,
    status: first.status,
    roundTrips: first.roundTrips,
    bytes: first.bytes,
  };
  if (first.status === 404) return { ...base, outcome: 'missing' };
  if (first.status >= 400) return { ...base, outcome: 'failed' };
  if (opts.warmup > 0) await load(route, ctx, { connections: opts.connections, duration: opts.warmup });
  if (ctx.processes) await waitForIdle(ctx.processes);
  const before = ctx.processes ? cpuSnapshot(ctx.processes) : null;
  const loaded = await load(route, ctx, opts);
  // The emails a write queued are handled after the load by the same process: they count for the route.
  if (ctx.processes) await waitForIdle(ctx.processes);
  const cpu = before ? cpuPerRequest(before, cpuSnapshot(ctx.processes), loaded.requests) : null;
  return { ...base, outcome: 'measured', probeText: first.text, ...loaded, cpu };
}

/** Two loads of one route as one result: means of the rates and latencies, sums of the counts. */
export function mergeRuns(first, second) {
  if (first.outcome !== 'measured' || second.outcome !== 'measured') return first;
  // Weighted by the runs already merged into each side, so a third run counts as much as the first two.
  const n1 = first.samples?.length ?? 1;
  const n2 = second.samples?.length ?? 1;
  const mean = (key) => (first[key] * n1 + second[key] * n2) / (n1 + n2);
  const statusCodes = { ...first.statusCodes };
  for (const [code, count] of Object.entries(second.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + count;
  const cpu = first.cpu && second.cpu ? {} : null;
  // CPU per request of the merged runs: each run weighs by the requests it served.
  for (const name of cpu ? Object.keys(first.cpu) : []) {
    cpu[name] =
      (first.cpu[name] * first.requests + second.cpu[name] * second.requests) / (first.requests + second.requests);
  }
  return {
    ...first,
    cpu,
    cpuSamples: [...(first.cpuSamples ?? [first.cpu?.worker]), ...(second.cpuSamples ?? [second.cpu?.worker])],
    requestsPerSecond: mean('requestsPerSecond'),
    latencyP50: mean('latencyP50'),
    latencyP99: mean('latencyP99'),
    latencyMean: mean('latencyMean'),
    requests: first.requests + second.requests,
    non2xx: first.non2xx + second.non2xx,
    errors: first.errors + second.errors,
    timeouts: first.timeouts + second.timeouts,
    statusCodes,
    samples: [...(first.samples ?? [first.requestsPerSecond]), ...(second.samples ?? [second.requestsPerSecond])],
  };
}

/** The page a new visitor loads: the HTML and the stylesheets and scripts it references, gzip-compressed. */
export async function measureFirstLoad(ctx) {
  const page = await probe({ method: 'GET', path: '/' }, ctx);
  if (page.status !== 200) return { ok: false, status: page.status };
  const assets = [
    ...[...page.text.matchAll(/<link\b[^>]*\brel="stylesheet"[^>]*>/g)].map((m) => /\bhref="([^"]+)"/.exec(m[0])?.[1]),
    ...[...page.text.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]),
  ].filter((href) => href && href.startsWith('/'));
  const resources = [{ path: '/', kind: 'html', status: page.status, ...page.bytes }];
  for (const path of assets) {
    const res = await fetch(`${ctx.url}${path}`, { headers: { cookie: ctx.cookie } });
    const body = new Uint8Array(await res.arrayBuffer());
    resources.push({ path, kind: path.endsWith('.css') ? 'css' : 'js', status: res.status, ...sizes(body) });
  }
  return {
    ok: resources.every((r) => r.status === 200),
    requests: resources.length,
    raw: resources.reduce((sum, r) => sum + r.raw, 0),
    gzip: resources.reduce((sum, r) => sum + r.gzip, 0),
    resources,
  };
}

/** Distinct ticket keys of the project in a list partial: the number of rows it shows. */
export function countTicketRows(html, key) {
  return new Set([...html.matchAll(new RegExp(`\\b${key}-(\\d+)\\b`, 'g'))].map((m) => m[1])).size;
}

/** The floor's two measurements (start and end of the run) as one, per route of the hello-world Worker. */
export function mergeFloors(start, end) {
  return Object.fromEntries(
    Object.keys(start).map((group) => [group, end[group] ? mergeRuns(start[group], end[group]) : start[group]]),
  );
}

/**
 * Sign-in's CPU: `count` sign-ins one after another (under the sign-in rate limit of 20 a minute), each a real scrypt
 * check of a hash at the default cost and a new session, CPU of the Worker's process divided by the sign-ins.
 */
export async function measureSignIn(ctx, user, count = 12) {
  await waitForIdle(ctx.processes);
  const before = cpuSnapshot(ctx.processes);
  const started = performance.now();
  const statuses = {};
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${ctx.url}/login`, {
      method: 'POST',
      headers: { origin: ctx.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: user.email, password: user.password, next: '/' }).toString(),
      redirect: 'manual',
    });
    await res.arrayBuffer();
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
  }
  await waitForIdle(ctx.processes);
  return {
    requests: count,
    statuses,
    latencyMean: (performance.now() - started) / count,
    cpu: cpuPerRequest(before, cpuSnapshot(ctx.processes), count),
  };
}
