/**
 * The one-round-trip budget of the hot routes, in one place: every hot route (dashboard, list partial, board, ticket
 * modal, create, edit, status change, comment), its failure paths (422, a non-member's 404) and the requests that
 * need no database at all, on a project with more than a page of tickets, comments, activity and several members.
 */
import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  comments,
  projects,
  STATUSES,
  ticketEvents,
  tickets,
  type Priority,
  type Project,
  type Status,
  type User,
} from '../../../src/db/schema';
import { encodeCursor } from '../../../src/tickets/cursor';
import { makeProject, member } from '../fixtures';
import { roundTrips, send, signedIn, testDb } from '../helpers';

const PRIORITY_CYCLE: Priority[] = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
const TICKETS = 60;

/** A request and what it must answer; `trips` is the exact number of database round trips, session check included. */
interface Budgeted {
  name: string;
  request: () => Promise<Response>;
  status: number;
  trips: 0 | 1;
}

async function expectBudget(cases: Budgeted[]) {
  const measured = [];
  for (const c of cases) {
    const res = await c.request();
    await res.arrayBuffer();
    measured.push({ name: c.name, status: res.status, trips: roundTrips(res) });
  }
  // One comparison for the whole table, so a failure shows every route's figures side by side.
  expect(measured).toEqual(cases.map((c) => ({ name: c.name, status: c.status, trips: c.trips })));
}

/**
 * Seeds `count` tickets (mixed statuses, priorities and assignees) with the project's counters and next number to
 * match, plus comments and activity on ticket 1, in one batch.
 */
async function seedTickets(project: Project, people: User[], count: number) {
  const db = testDb();
  const base = Date.now() - count * 60_000;
  const rows = Array.from({ length: count }, (_, i) => {
    const priority = PRIORITY_CYCLE[i % 4]!;
    return {
      id: crypto.randomUUID(),
      projectId: project.id,
      number: i + 1,
      reporterId: people[i % people.length]!.id,
      assigneeId: i % 5 === 0 ? null : people[(i + 1) % people.length]!.id,
      title: `Realistic ticket ${i + 1}`,
      description: `Steps for ticket ${i + 1}:\n\n1. open it\n2. **look**`,
      status: STATUSES[i % 4]!,
      priority,
      priorityRank: PRIORITY_CYCLE.indexOf(priority),
      createdAt: base + i * 60_000,
      updatedAt: base + i * 60_000 + 1_000,
    };
  });
  const first = rows[0]!;
  const inStatus = (s: Status) => rows.filter((r) => r.status === s).length;
  // D1 binds at most 100 variables per statement: 6 rows of 15 bound columns at a time.
  const ticketInserts = Array.from({ length: Math.ceil(count / 6) }, (_, k) =>
    db.insert(tickets).values(rows.slice(k * 6, k * 6 + 6)),
  );
  await db.batch([
    db
      .update(projects)
      .set({
        nextTicketNumber: count + 1,
        openCount: inStatus('OPEN'),
        inProgressCount: inStatus('IN_PROGRESS'),
        reviewCount: inStatus('REVIEW'),
        doneCount: inStatus('DONE'),
      })
      .where(eq(projects.id, project.id)),
    // D1 binds at most 100 variables per statement: 8 rows of 12 columns at a time.
    ...ticketInserts,
    db.insert(comments).values(
      people.map((p, i) => ({
        id: crypto.randomUUID(),
        ticketId: first.id,
        authorId: p.id,
        body: `Comment ${i} with *Markdown*`,
        createdAt: first.createdAt + i,
      })),
    ),
    db.insert(ticketEvents).values({
      id: crypto.randomUUID(),
      ticketId: first.id,
      actorId: people[0]!.id,
      field: 'status',
      fromValue: 'OPEN',
      toValue: first.status,
      createdAt: first.updatedAt,
    }),
  ]);
}

function nextPage(html: string): string {
  const m = /hx-get="(\/p\/[A-Z]+\/tickets\?[^"]*after=[^"]+)"/.exec(html);
  if (!m) throw new Error('the list has no next page');
  return m[1]!.replace(/&amp;/g, '&');
}

describe('database round trips per request', () => {
  let project: Project;
  let key: string;
  let alice: { user: User; cookie: string };
  let bob: { user: User; cookie: string };
  let outsider: { user: User; cookie: string };
  let manager: { user: User; cookie: string };
  const ticketForm = (fields: Record<string, string> = {}) => ({
    title: 'Budgeted',
    description: 'Made while counting round trips.',
    status: 'OPEN',
    priority: 'MEDIUM',
    assignee: '',
    ...fields,
  });

  beforeAll(async () => {
    project = await makeProject({ name: 'Budget' });
    key = project.key;
    alice = await member(project, { name: 'Alice' });
    bob = await member(project, { name: 'Bob' });
    outsider = await signedIn({ name: 'Outsider' });
    manager = await signedIn({ name: 'Manager', role: 'MANAGER' });
    await seedTickets(project, [alice.user, bob.user], TICKETS);
  });

  it('reads every hot page and partial in one round trip, session check included', async () => {
    const { cookie } = alice;
    const list = await send(`/p/${key}/tickets`, { cookie, htmx: true });
    const listHtml = await list.text();
    expect(listHtml.match(/<tr/g)?.length).toBeGreaterThanOrEqual(50);
    const page2 = nextPage(listHtml);
    // A keyset cursor as the board's "Show more" carries it: the cards updated before this one.
    const after = encodeCursor({ sort: 'updated', values: [Date.now()], id: crypto.randomUUID() });
    const showMore = `/p/${key}/board/OPEN?after=${after}`;

    await expectBudget([
      { name: 'dashboard', request: () => send('/', { cookie }), status: 200, trips: 1 },
      { name: 'dashboard (manager)', request: () => send('/', { cookie: manager.cookie }), status: 200, trips: 1 },
      {
        name: 'project list partial',
        request: () => send('/projects/list', { cookie, htmx: true }),
        status: 200,
        trips: 1,
      },
      { name: 'project page', request: () => send(`/p/${key}`, { cookie }), status: 200, trips: 1 },
      {
        name: 'list partial',
        request: () => send(`/p/${key}/tickets`, { cookie, htmx: true }),
        status: 200,
        trips: 1,
      },
      { name: 'list partial, next page', request: () => send(page2, { cookie, htmx: true }), status: 200, trips: 1 },
      ...['updated', 'priority', 'oldest', 'due'].map((sort) => ({
        name: `list partial sorted by ${sort}`,
        request: () => send(`/p/${key}/tickets?sort=${sort}`, { cookie, htmx: true }),
        status: 200,
        trips: 1 as const,
      })),
      {
        name: 'list partial, every filter',
        request: () =>
          send(`/p/${key}/tickets?status=OPEN&priority=LOW&assignee=${bob.user.id}&q=ticket`, { cookie, htmx: true }),
        status: 200,
        trips: 1,
      },
      ...['overdue', 'week'].map((due) => ({
        name: `list partial, due ${due}, sorted by due date`,
        request: () => send(`/p/${key}/tickets?due=${due}&sort=due`, { cookie, htmx: true }),
        status: 200,
        trips: 1 as const,
      })),
      {
        name: 'list partial, a two-word search',
        request: () => send(`/p/${key}/tickets?q=${encodeURIComponent('ticket realistic')}`, { cookie, htmx: true }),
        status: 200,
        trips: 1,
      },
      {
        name: 'list partial, a key search',
        request: () => send(`/p/${key}/tickets?q=${key}-3`, { cookie, htmx: true }),
        status: 200,
        trips: 1,
      },
      { name: 'my issues page', request: () => send('/my', { cookie }), status: 200, trips: 1 },
      { name: 'inbox page', request: () => send('/inbox', { cookie }), status: 200, trips: 1 },
      {
        name: 'inbox, more items',
        request: () => send('/inbox/items?after=bad', { cookie, htmx: true }),
        status: 200,
        trips: 1,
      },
      {
        name: 'my issues partial, filtered',
        request: () => send('/my/tickets?role=assigned&status=OPEN&q=ticket&sort=updated', { cookie, htmx: true }),
        status: 200,
        trips: 1,
      },
      {
        name: 'my issues partial, overdue by due date',
        request: () => send('/my/tickets?due=overdue&sort=due', { cookie, htmx: true }),
        status: 200,
        trips: 1,
      },
      { name: 'board page', request: () => send(`/p/${key}/board`, { cookie }), status: 200, trips: 1 },
      {
        name: 'board partial',
        request: () => send(`/p/${key}/board`, { cookie, htmx: true }),
        status: 200,
        trips: 1,
      },
      {
        name: 'board column, Show more',
        request: () => send(showMore, { cookie, htmx: true }),
        status: 200,
        trips: 1,
      },
      { name: 'ticket modal', request: () => send(`/p/${key}/t/1`, { cookie, htmx: true }), status: 200, trips: 1 },
      { name: 'ticket page', request: () => send(`/p/${key}/t/1`, { cookie }), status: 200, trips: 1 },
      {
        name: 'new-ticket form',
        request: () => send(`/p/${key}/t/new`, { cookie, htmx: true }),
        status: 200,
        trips: 1,
      },
      { name: 'edit form', request: () => send(`/p/${key}/t/2/edit`, { cookie, htmx: true }), status: 200, trips: 1 },
      {
        name: 'manager who is not a member',
        request: () => send(`/p/${key}/tickets`, { cookie: manager.cookie, htmx: true }),
        status: 200,
        trips: 1,
      },
    ]);
  });

  it('writes in one round trip, and answers a refused form (422) in one too', async () => {
    const { cookie } = alice;
    const before = await testDb().select().from(projects).where(eq(projects.id, project.id));
    await expectBudget([
      {
        name: 'create',
        request: () => send(`/p/${key}/t`, { cookie, htmx: true, form: ticketForm({ assignee: bob.user.id }) }),
        status: 204,
        trips: 1,
      },
      {
        name: 'create without a title (422)',
        request: () => send(`/p/${key}/t`, { cookie, htmx: true, form: ticketForm({ title: '' }) }),
        status: 422,
        trips: 1,
      },
      {
        name: 'create for a non-member assignee (422)',
        request: () => send(`/p/${key}/t`, { cookie, htmx: true, form: ticketForm({ assignee: outsider.user.id }) }),
        status: 422,
        trips: 1,
      },
      {
        name: 'edit',
        request: () =>
          send(`/p/${key}/t/3`, { cookie, htmx: true, form: ticketForm({ title: 'Edited', status: 'REVIEW' }) }),
        status: 204,
        trips: 1,
      },
      {
        name: 'edit without a title (422)',
        request: () => send(`/p/${key}/t/3`, { cookie, htmx: true, form: ticketForm({ title: ' ' }) }),
        status: 422,
        trips: 1,
      },
      {
        name: 'status change',
        request: () => send(`/p/${key}/t/4/status`, { cookie, htmx: true, form: { status: 'DONE' } }),
        status: 204,
        trips: 1,
      },
      {
        name: 'edit from an older version (409)',
        request: () =>
          send(`/p/${key}/t/3`, { cookie, htmx: true, form: ticketForm({ title: 'Stale', version: '1' }) }),
        status: 409,
        trips: 1,
      },
      {
        name: 'board move from an older version (409)',
        request: () => send(`/p/${key}/t/4/status`, { cookie, htmx: true, form: { status: 'OPEN', version: '0' } }),
        status: 409,
        trips: 1,
      },
      {
        name: 'listening to the project (WebSocket upgrade)',
        request: () => send(`/p/${key}/live`, { cookie, headers: { Upgrade: 'websocket' } }),
        status: 101,
        trips: 1,
      },
      {
        name: 'status change to an unknown status (422, before any query)',
        request: () => send(`/p/${key}/t/4/status`, { cookie, htmx: true, form: { status: 'LOST' } }),
        status: 422,
        trips: 0,
      },
      {
        name: 'status change in place (ticket modal)',
        request: () => send(`/p/${key}/t/5/fields`, { cookie, htmx: true, form: { status: 'REVIEW' } }),
        status: 200,
        trips: 1,
      },
      {
        name: 'assignee change in place (ticket modal)',
        request: () => send(`/p/${key}/t/5/fields`, { cookie, htmx: true, form: { assignee: bob.user.id } }),
        status: 200,
        trips: 1,
      },
      {
        name: 'in-place change to a non-member (422)',
        request: () => send(`/p/${key}/t/5/fields`, { cookie, htmx: true, form: { assignee: outsider.user.id } }),
        status: 422,
        trips: 1,
      },
      {
        name: 'due date change in place (ticket modal)',
        request: () => send(`/p/${key}/t/5/fields`, { cookie, htmx: true, form: { due_date: '2026-12-01' } }),
        status: 200,
        trips: 1,
      },
      {
        name: 'in-place change to an impossible due date (422)',
        request: () => send(`/p/${key}/t/5/fields`, { cookie, htmx: true, form: { due_date: '2026-02-30' } }),
        status: 422,
        trips: 1,
      },
      {
        name: 'list row editor',
        request: () => send(`/p/${key}/t/6/row?edit`, { cookie, htmx: true }),
        status: 200,
        trips: 1,
      },
      {
        name: 'priority change in place (list row)',
        request: () => send(`/p/${key}/t/6/row`, { cookie, htmx: true, form: { priority: 'CRITICAL' } }),
        status: 200,
        trips: 1,
      },
      {
        name: 'comment',
        request: () => send(`/p/${key}/t/1/comments`, { cookie, htmx: true, form: { body: 'Counted.' } }),
        status: 200,
        trips: 1,
      },
      {
        name: 'empty comment (422)',
        request: () => send(`/p/${key}/t/1/comments`, { cookie, htmx: true, form: { body: '' } }),
        status: 422,
        trips: 1,
      },
    ]);
    // The writes did happen: one ticket more, and ticket 3 moved to review (the counters follow).
    const [after] = await testDb().select().from(projects).where(eq(projects.id, project.id));
    expect(after!.nextTicketNumber).toBe(before[0]!.nextTicketNumber + 1);
    expect(after!.reviewCount).toBeGreaterThan(0);
  });

  it('answers a non-member with 404 in one round trip and changes nothing', async () => {
    const { cookie } = outsider;
    const [before] = await testDb().select().from(projects).where(eq(projects.id, project.id));
    const reads = ['', '/tickets', '/board', '/board/OPEN', '/t/1', '/t/new', '/t/1/edit', '/t/1/row?edit'].map(
      (path) => ({
        name: `GET /p/${key}${path}`,
        request: () => send(`/p/${key}${path}`, { cookie, htmx: path !== '' }),
        status: 404,
        trips: 1 as const,
      }),
    );
    const writes = [
      ['/t', ticketForm()],
      ['/t/1', ticketForm({ title: 'Hijacked' })],
      ['/t/1/status', { status: 'DONE' }],
      ['/t/1/fields', { status: 'DONE' }],
      ['/t/1/row', { priority: 'LOW' }],
      ['/t/1/comments', { body: 'Let me in' }],
      ['/t/1/delete', {}],
    ].map(([path, form]) => ({
      name: `POST /p/${key}${path as string}`,
      request: () => send(`/p/${key}${path as string}`, { cookie, htmx: true, form: form as Record<string, string> }),
      status: 404,
      trips: 1 as const,
    }));
    await expectBudget([...reads, ...writes]);
    const [after] = await testDb().select().from(projects).where(eq(projects.id, project.id));
    expect(after).toEqual(before);
  });

  it('needs no database for malformed URLs or a request without a session, and one trip for a bad cookie', async () => {
    const forged = `hticket_session=${crypto.randomUUID()}.${'a'.repeat(24)}`;
    await expectBudget([
      {
        name: 'malformed key',
        request: () => send('/p/nope1/tickets', { cookie: alice.cookie }),
        status: 404,
        trips: 0,
      },
      {
        name: 'malformed number',
        request: () => send(`/p/${key}/t/0x1`, { cookie: alice.cookie }),
        status: 404,
        trips: 0,
      },
      { name: 'no cookie', request: () => send(`/p/${key}/tickets`), status: 302, trips: 0 },
      { name: 'forged cookie', request: () => send(`/p/${key}/tickets`, { cookie: forged }), status: 302, trips: 1 },
    ]);
  });
});

describe('per-status ticket counters', () => {
  /** The counters as the dashboard shows them, and the real counts from the tickets table (test only). */
  async function countersAndTruth(project: Project, cookie: string) {
    const html = await (await send('/', { cookie })).text();
    const card = html.slice(html.indexOf(`<span class="project-key">${project.key}</span>`));
    const shown = [...card.matchAll(/<dd>(\d+)<\/dd>/g)].slice(0, 4).map((m) => Number(m[1]));
    const rows = await testDb()
      .select({ status: tickets.status, n: sql<number>`count(*)` })
      .from(tickets)
      .where(eq(tickets.projectId, project.id))
      .groupBy(tickets.status);
    const truth = STATUSES.map((s) => rows.find((r) => r.status === s)?.n ?? 0);
    return { shown, truth };
  }

  it('stay equal to the real counts through creates, edits, moves, deletes and refused writes', async () => {
    const project = await makeProject({ name: 'Counted' });
    const alice = await member(project);
    const bob = await member(project);
    const outsider = await signedIn();
    const key = project.key;
    const form = (status: Status, title = 'Counted') => ({
      title,
      description: '',
      status,
      priority: 'MEDIUM',
      assignee: '',
    });
    // A fixed pseudo-random walk, so a failure is reproducible.
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const live = new Set<number>();
    let created = 0;
    for (let step = 0; step < 40; step++) {
      const status = STATUSES[next(4)]!;
      const numbers = [...live];
      const pick = numbers[next(Math.max(numbers.length, 1))];
      const op = live.size === 0 ? 0 : next(6);
      let res: Response;
      if (op <= 1) {
        res = await send(`/p/${key}/t`, { cookie: alice.cookie, htmx: true, form: form(status) });
        expect(res.status).toBe(204);
        live.add(++created);
      } else if (op === 2) {
        res = await send(`/p/${key}/t/${pick}`, { cookie: bob.cookie, htmx: true, form: form(status, 'Edited') });
        expect(res.status).toBe(204);
      } else if (op === 3) {
        res = await send(`/p/${key}/t/${pick}/status`, { cookie: bob.cookie, htmx: true, form: { status } });
        expect(res.status).toBe(204);
      } else if (op === 4) {
        // Reporter deletes; bob (not the reporter) is refused first and must change nothing.
        const refused = await send(`/p/${key}/t/${pick}/delete`, { cookie: bob.cookie, htmx: true, form: {} });
        expect(refused.status).toBe(403);
        res = await send(`/p/${key}/t/${pick}/delete`, { cookie: alice.cookie, htmx: true, form: {} });
        expect(res.status).toBe(204);
        live.delete(pick!);
      } else {
        // Refused writes: an outsider's move and an edit naming a non-member; neither may touch a counter.
        const moved = await send(`/p/${key}/t/${pick}/status`, {
          cookie: outsider.cookie,
          htmx: true,
          form: { status },
        });
        expect(moved.status).toBe(404);
        res = await send(`/p/${key}/t/${pick}`, {
          cookie: bob.cookie,
          htmx: true,
          form: { ...form(status), assignee: outsider.user.id },
        });
        expect(res.status).toBe(422);
      }
      expect(roundTrips(res), `step ${step}`).toBe(1);
      const { shown, truth } = await countersAndTruth(project, alice.cookie);
      expect(shown, `step ${step}`).toEqual(truth);
    }
    // The walk really exercised the counters.
    expect(created).toBeGreaterThan(5);
    expect(live.size).toBeLessThan(created);
  });
});
