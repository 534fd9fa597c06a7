/** @module bench/routes — the routes the benchmark drives, per project size, and the requests it sends them. */
import { benchTicketNumber } from './seed.mjs';

const STATUS_CYCLE = ['IN_PROGRESS', 'REVIEW'];

/** The password hash costs (log2 N) measured: the settable range of PASSWORD_HASH_COST. */
export const PASSWORD_COSTS = [10, 11, 12, 14];

/**
 * The hello-world Worker's routes: its bare answer (the floor), one D1 batch (what the local D1 costs) and one
 * Durable Object announcement (what a write's call to its project's object costs locally).
 */
export const floorRoutes = [
  { group: 'hello', label: 'GET / (hello-world Worker)', method: 'GET', path: '/', hot: false },
  { group: 'd1', label: 'GET /d1 (hello-world Worker, one D1 batch)', method: 'GET', path: '/d1', hot: false },
  {
    group: 'do',
    label: 'GET /do (hello-world Worker, one Durable Object announcement)',
    method: 'GET',
    path: '/do',
    hot: false,
  },
  ...PASSWORD_COSTS.map((cost) => ({
    group: `scrypt${cost}`,
    label: `GET /scrypt?cost=${cost} (hello-world Worker, one password hash at N = 2^${cost})`,
    method: 'GET',
    path: `/scrypt?cost=${cost}`,
    hot: false,
  })),
];

/**
 * Every measured route. `hot` routes carry the one-round-trip budget; `group` names the kind of route across sizes;
 * `form(i)` gives the i-th request's fields, so repeated writes change something each time.
 */
export function benchRoutes(projects, managerId) {
  const routes = [
    { group: 'bare', label: 'GET /healthz (bare)', method: 'GET', path: '/healthz', hot: false },
    { group: 'dashboard', label: 'GET / (dashboard)', method: 'GET', path: '/', hot: true },
  ];
  const reads = [
    { group: 'list', label: 'ticket list partial', path: (key) => `/p/${key}/tickets` },
    { group: 'board', label: 'board', path: (key) => `/p/${key}/board` },
    { group: 'modal', label: 'ticket modal', path: (key, n) => `/p/${key}/t/${n}` },
  ];
  for (const read of reads) {
    for (const p of projects) {
      const path = read.path(p.key, benchTicketNumber(p));
      routes.push({
        group: read.group,
        label: `GET ${path} (${read.label})`,
        size: p.tickets,
        method: 'GET',
        path,
        htmx: true,
        hot: true,
      });
    }
  }
  const writes = [
    {
      group: 'create',
      label: 'create ticket',
      path: (key) => `/p/${key}/t`,
      form: (i) => ({
        title: `Created by the benchmark ${i}`,
        description: 'A ticket made while measuring the create route.',
        status: 'OPEN',
        priority: 'MEDIUM',
        assignee: '',
      }),
    },
    {
      group: 'edit',
      label: 'edit ticket',
      path: (key, n) => `/p/${key}/t/${n}`,
      form: (i) => ({
        title: `Edited by the benchmark ${i}`,
        description: `Revision ${i} of the description, with **Markdown**.`,
        status: STATUS_CYCLE[i % 2],
        priority: i % 2 ? 'HIGH' : 'MEDIUM',
        assignee: managerId,
      }),
    },
    {
      group: 'status',
      label: 'change status',
      path: (key, n) => `/p/${key}/t/${n}/status`,
      form: (i) => ({ status: STATUS_CYCLE[i % 2] }),
    },
    {
      group: 'comment',
      label: 'add comment',
      path: (key, n) => `/p/${key}/t/${n}/comments`,
      form: (i) => ({ body: `Comment ${i} from the benchmark: still *reproducible*.` }),
    },
  ];
  // Writes come after every read so the reads see exactly the seeded sizes.
  for (const write of writes) {
    for (const p of projects) {
      const path = write.path(p.key, benchTicketNumber(p));
      routes.push({
        group: write.group,
        label: `POST ${path} (${write.label})`,
        size: p.tickets,
        method: 'POST',
        path,
        htmx: true,
        hot: true,
        form: write.form,
      });
    }
  }
  return routes;
}
