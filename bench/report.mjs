/** @module bench/report — targets, results.json, results.md and the figures in the README's Performance section. */
import { readFileSync, writeFileSync } from 'node:fs';

export const TARGETS = {
  roundTrips: 1,
  listRatio: 0.85,
  firstLoadGzip: 32 * 1024,
  firstLoadRequests: 5,
  listPartialRaw: 12 * 1024,
  listPartialRows: 50,
  bundleGzip: 100 * 1024,
};

const GROUP_NAMES = {
  bare: 'bare `/healthz`',
  dashboard: 'dashboard `/`',
  list: 'ticket list partial',
  board: 'board',
  modal: 'ticket modal',
  create: 'create ticket',
  edit: 'edit ticket',
  status: 'change status',
  comment: 'add comment',
};

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const int = (n) => Math.round(n).toLocaleString('en');
const ratio = (n) => `${n.toFixed(2)}×`;
/** Latencies to a tenth of a millisecond (a mean of three runs is not exact). */
const ms = (n) => String(Math.round(n * 10) / 10);
const samples = (r) => {
  const runs = (r.samples ?? [r.requestsPerSecond]).map(int);
  return runs.length > 1 ? `${runs.slice(0, -1).join(', ')} and ${runs.at(-1)}` : runs.join('');
};

function note(r) {
  if (r.outcome === 'missing') return 'route missing (404)';
  if (r.outcome === 'failed') return `answered ${r.status}, not measured`;
  const parts = [];
  if (r.non2xx) parts.push(`${int(r.non2xx)} of ${int(r.requests)} non-2xx (${Object.keys(r.statusCodes).join(', ')})`);
  if (r.errors || r.timeouts) parts.push(`${r.errors} errors, ${r.timeouts} timeouts`);
  if (r.roundTrips === null) parts.push('no round-trip header');
  return parts.join('; ');
}

/** "board (404 at 10, 1,000, 100,000 tickets), …": the routes left out of a target, grouped by kind. */
function notMeasured(routes) {
  const groups = new Map();
  for (const r of routes) {
    const key = `${GROUP_NAMES[r.group]} (${r.outcome === 'missing' ? 'route missing' : `answered ${r.status}`}`;
    groups.set(key, [...(groups.get(key) ?? []), r.size]);
  }
  return [...groups]
    .map(([key, sizes]) => `${key}${sizes[0] === null ? '' : ` at ${sizes.map(int).join(', ')} tickets`})`)
    .join(', ');
}

/** Adds the ratio to the bare route to every measured route. */
export function withRatios(routes, bareRps) {
  return routes.map((r) =>
    r.outcome === 'measured' && bareRps > 0 ? { ...r, ratioToBare: r.requestsPerSecond / bareRps } : r,
  );
}

/**
 * Why the list ratio missed. The list at 10 tickets shows 10 rows and the larger ones a full page of 50, so the list
 * at 1,000 (same page as at 100,000) tells whether the cost follows the data or the page.
 */
function listMissSentence(small, large, middle) {
  const head = `The list serves ${int(large.requestsPerSecond)} req/s at 100,000 tickets against ${int(small.requestsPerSecond)} at 10`;
  if (middle?.outcome !== 'measured') return `${head}: its cost grows with the project.`;
  const sameSize = large.requestsPerSecond / middle.requestsPerSecond;
  const against = `${int(middle.requestsPerSecond)} req/s at 1,000 tickets, the same 50-row page (${ratio(sameSize)})`;
  return sameSize >= TARGETS.listRatio
    ? `${head} and ${against}: the gap is the page (10 rows against 50) or load on the machine (runs ${samples(small)} at 10), not the number of tickets.`
    : `${head} and ${against}: its cost grows with the project.`;
}

/** Each target with what was measured and PASS, MISS or NOT MEASURED, and a plain sentence when it is not a pass. */
export function evaluateTargets({ routes, firstLoad, bundle, listPartial }) {
  const targets = [];
  const hot = routes.filter((r) => r.hot);
  const measuredHot = hot.filter((r) => r.outcome === 'measured');
  const missingHot = hot.filter((r) => r.outcome !== 'measured');
  const over = measuredHot.filter((r) => r.roundTrips === null || r.roundTrips > TARGETS.roundTrips);
  const most = Math.max(...measuredHot.map((r) => r.roundTrips ?? Infinity));
  targets.push({
    id: 'roundTrips',
    target: '≤ 1 database round trip per hot request',
    measured: measuredHot.length ? `at most ${most} (${measuredHot.length} of ${hot.length} hot routes measured)` : '—',
    result: !measuredHot.length ? 'NOT MEASURED' : over.length ? 'MISS' : 'PASS',
    sentence: over.length
      ? `${over.map((r) => `${r.label} takes ${r.roundTrips ?? 'an unknown number of'} round trips`).join('; ')}.`
      : missingHot.length
        ? `${missingHot.length} of ${hot.length} hot routes were not measured: ${notMeasured(missingHot)}.`
        : '',
  });

  const small = routes.find((r) => r.group === 'list' && r.size === 10);
  const large = routes.find((r) => r.group === 'list' && r.size === 100_000);
  if (small?.outcome === 'measured' && large?.outcome === 'measured') {
    const value = large.requestsPerSecond / small.requestsPerSecond;
    targets.push({
      id: 'listRatio',
      target: `list at 100,000 tickets ≥ ${TARGETS.listRatio}× the req/s of the list at 10`,
      measured: `${ratio(value)} (${int(large.requestsPerSecond)} vs ${int(small.requestsPerSecond)} req/s; runs ${samples(large)} vs ${samples(small)})`,
      value,
      result: value >= TARGETS.listRatio ? 'PASS' : 'MISS',
      sentence:
        value >= TARGETS.listRatio
          ? ''
          : listMissSentence(
              small,
              large,
              routes.find((r) => r.group === 'list' && r.size === 1_000),
            ),
    });
  } else {
    targets.push({
      id: 'listRatio',
      target: `list at 100,000 tickets ≥ ${TARGETS.listRatio}× the req/s of the list at 10`,
      measured: '—',
      result: 'NOT MEASURED',
      sentence: 'The ticket list partial was not measured at both sizes (route missing or failing).',
    });
  }

  if (firstLoad.ok) {
    const pass = firstLoad.gzip <= TARGETS.firstLoadGzip && firstLoad.requests <= TARGETS.firstLoadRequests;
    targets.push({
      id: 'firstLoad',
      target: 'first load ≤ 32 KB gzip in ≤ 5 requests',
      measured: `${kb(firstLoad.gzip)} in ${firstLoad.requests} requests`,
      result: pass ? 'PASS' : 'MISS',
      sentence: pass
        ? ''
        : `The first load (${firstLoad.resources.map((r) => `${r.path} ${kb(r.gzip)}`).join(', ')}) is ${kb(firstLoad.gzip)} in ${firstLoad.requests} requests.`,
    });
  } else {
    targets.push({
      id: 'firstLoad',
      target: 'first load ≤ 32 KB gzip in ≤ 5 requests',
      measured: '—',
      result: 'NOT MEASURED',
      sentence: `The dashboard or one of its assets did not answer 200.`,
    });
  }

  if (listPartial && listPartial.rows > 0) {
    const estimate =
      listPartial.rows === TARGETS.listPartialRows
        ? listPartial.raw
        : Math.round((listPartial.raw * TARGETS.listPartialRows) / listPartial.rows);
    const scaled = listPartial.rows !== TARGETS.listPartialRows;
    targets.push({
      id: 'listPartial',
      target: '50-row list partial ≤ 12 KB raw',
      measured: scaled
        ? `${kb(estimate)} (scaled from ${kb(listPartial.raw)} for ${listPartial.rows} rows)`
        : `${kb(estimate)} (${listPartial.rows} rows)`,
      result: estimate <= TARGETS.listPartialRaw ? 'PASS' : 'MISS',
      sentence:
        estimate <= TARGETS.listPartialRaw
          ? scaled
            ? `The list page shows ${listPartial.rows} rows, not 50; the size is scaled to 50 rows.`
            : ''
          : `A 50-row list partial weighs ${kb(estimate)}, about ${int(estimate / TARGETS.listPartialRows)} bytes a row.`,
    });
  } else {
    targets.push({
      id: 'listPartial',
      target: '50-row list partial ≤ 12 KB raw',
      measured: '—',
      result: 'NOT MEASURED',
      sentence: 'No ticket rows were found in the list partial at 100,000 tickets (route missing or failing).',
    });
  }

  targets.push({
    id: 'bundle',
    target: 'Worker bundle ≤ 100 KB gzip',
    measured: `${kb(bundle.gzip)} (${kb(bundle.raw)} raw${bundle.minifiedGzip ? `; ${kb(bundle.minifiedGzip)} gzip minified` : ''})`,
    result: bundle.gzip <= TARGETS.bundleGzip ? 'PASS' : 'MISS',
    sentence:
      bundle.gzip <= TARGETS.bundleGzip
        ? ''
        : `The Worker bundle is ${kb(bundle.gzip)} gzip, over the 100 KB budget${bundle.minifiedGzip ? ` (${kb(bundle.minifiedGzip)} when minified)` : ''}.`,
  });
  return targets;
}

function routesTable(routes) {
  const rows = [
    '| Route | Tickets | req/s | p50 ms | p99 ms | × bare | DB trips | Bytes raw | Bytes gzip | Note |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const r of routes) {
    const measured = r.outcome === 'measured';
    rows.push(
      `| ${r.label.replace(/ \(.*\)$/, '')} | ${r.size === null ? '' : int(r.size)} | ${measured ? int(r.requestsPerSecond) : '—'} | ${measured ? ms(r.latencyP50) : '—'} | ${measured ? ms(r.latencyP99) : '—'} | ${r.ratioToBare ? ratio(r.ratioToBare) : '—'} | ${measured ? (r.roundTrips ?? '—') : '—'} | ${r.outcome === 'missing' ? '—' : int(r.bytes.raw)} | ${r.outcome === 'missing' ? '—' : int(r.bytes.gzip)} | ${note(r)} |`,
    );
  }
  return rows.join('\n');
}

function targetsTable(targets) {
  const rows = ['| Target | Measured | Result |', '| --- | --- | --- |'];
  for (const t of targets) rows.push(`| ${t.target} | ${t.measured} | **${t.result}** |`);
  const sentences = targets
    .filter((t) => t.sentence)
    .map((t) => `- ${t.result === 'PASS' ? 'Note' : t.result}: ${t.sentence}`);
  return rows.join('\n') + (sentences.length ? `\n\n${sentences.join('\n')}` : '');
}

function cell(r) {
  if (!r) return '';
  if (r.outcome === 'missing') return 'route missing';
  if (r.outcome === 'failed') return `answered ${r.status}`;
  return `${int(r.requestsPerSecond)} req/s, p99 ${ms(r.latencyP99)} ms`;
}

function tripsOf(routes) {
  const seen = new Set(routes.filter((r) => r.outcome === 'measured').map((r) => r.roundTrips ?? '?'));
  return [...seen].sort().join(', ') || '—';
}

/** Requests per second (and p99) per route and size: the compact table of the README. */
function summaryTable(routes, sizes) {
  const unsized = routes
    .filter((r) => r.size === null)
    .map((r) => `${GROUP_NAMES[r.group]}: ${cell(r)}, ${tripsOf([r])} round trip${tripsOf([r]) === '1' ? '' : 's'}`);
  const rows = [
    `| Route | DB trips | ${sizes.map((s) => `${int(s)} tickets`).join(' | ')} |`,
    `| --- | ---: | ${sizes.map(() => '---').join(' | ')} |`,
  ];
  for (const group of Object.keys(GROUP_NAMES)) {
    const members = routes.filter((r) => r.group === group && r.size !== null);
    if (!members.length) continue;
    const cells = sizes.map((s) => cell(members.find((r) => r.size === s)));
    rows.push(`| ${GROUP_NAMES[group]} | ${tripsOf(members)} | ${cells.join(' | ')} |`);
  }
  return `${unsized.join('; ')}.\n\n${rows.join('\n')}`;
}

function runLine(run) {
  const load = run.loadAverage ? ` (load average ${run.loadAverage.map((l) => l.toFixed(1)).join(' → ')})` : '';
  return `${run.date} on ${run.cpus}× ${run.cpuModel}${load}, Node ${run.node}; ${run.connections} connections, ${run.duration} s per route after a ${run.warmup} s warm-up; whole run ${run.elapsedSeconds.toFixed(0)} s.`;
}

export function toMarkdown(report) {
  const { run, routes, targets, firstLoad, bundle } = report;
  const lines = [
    '# Benchmark results',
    '',
    `Made by \`npm run bench\`: ${runLine(run)}`,
    '',
    '## Targets',
    '',
    targetsTable(targets),
    '',
    '## Routes',
    '',
    `Requests per second are autocannon's mean; latencies are milliseconds; "× bare" divides by \`/healthz\` on the same server (${int(run.bareRequestsPerSecond)} req/s); the bare route is loaded at the start and the end, the list three times (smallest first, largest first, smallest first), and both show the means of their runs; bytes are the body of one response (gzip at zlib's default level). Partials and writes are sent as htmx requests; writes answer 204 with no body.`,
    '',
    routesTable(routes),
    '',
    '## First load',
    '',
  ];
  if (firstLoad.ok) {
    lines.push('| Resource | Bytes raw | Bytes gzip |', '| --- | ---: | ---: |');
    for (const r of firstLoad.resources) lines.push(`| \`${r.path}\` | ${int(r.raw)} | ${int(r.gzip)} |`);
    lines.push(`| **${firstLoad.requests} requests** | **${int(firstLoad.raw)}** | **${int(firstLoad.gzip)}** |`);
  } else {
    lines.push(`The dashboard answered ${firstLoad.status}.`);
  }
  lines.push(
    '',
    '## Worker bundle',
    '',
    `\`wrangler deploy --dry-run --outdir\`: \`${bundle.file}\` is ${int(bundle.raw)} bytes, ${int(bundle.gzip)} gzip${bundle.minifiedGzip ? ` (with \`--minify\`: ${int(bundle.minifiedRaw)} bytes, ${int(bundle.minifiedGzip)} gzip)` : ''}.`,
    '',
  );
  if (bundle.shares?.length) {
    lines.push(
      'Largest contributors (bytes in the unminified bundle):',
      '',
      '| Package | Bytes | Share |',
      '| --- | ---: | ---: |',
    );
    for (const s of bundle.shares.slice(0, 10)) {
      lines.push(`| ${s.name} | ${int(s.bytes)} | ${((s.bytes / bundle.raw) * 100).toFixed(0)}% |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** The figures the README shows; the script rewrites them between the markers on every run. */
export function readmeFigures(report) {
  const sizes = [...new Set(report.routes.map((r) => r.size).filter((s) => s !== null))].sort((a, b) => a - b);
  return [
    `Latest run: ${runLine(report.run)}`,
    '',
    targetsTable(report.targets),
    '',
    summaryTable(report.routes, sizes),
    '',
    'Every route, with p50, bytes and the ratio to a bare route, is in [`bench/results.md`](bench/results.md).',
  ].join('\n');
}

export const README_START = '<!-- bench:start -->';
export const README_END = '<!-- bench:end -->';

/** Replaces what sits between the markers (formatted as the format check expects); without them, does nothing. */
export async function updateReadme(path, figures) {
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(README_START);
  const end = text.indexOf(README_END);
  if (start < 0 || end < start) return false;
  const updated = `${text.slice(0, start + README_START.length)}\n\n${figures}\n\n${text.slice(end)}`;
  const prettier = await import('prettier');
  const config = (await prettier.resolveConfig(path)) ?? {};
  writeFileSync(path, await prettier.format(updated, { ...config, filepath: path }));
  return true;
}

export function writeResults(dir, report) {
  const { routes, ...rest } = report;
  const json = { ...rest, routes: routes.map(({ probeText, ...r }) => r) };
  writeFileSync(`${dir}/results.json`, `${JSON.stringify(json, null, 2)}\n`);
  const markdown = toMarkdown(report);
  writeFileSync(`${dir}/results.md`, markdown);
  return markdown;
}
