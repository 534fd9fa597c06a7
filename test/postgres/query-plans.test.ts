/**
 * The hot queries' plans on PostgreSQL, on ANALYZE'd data of a realistic shape (tens of thousands of tickets, comments
 * and history rows across projects, hundreds of users): every statement the hot routes send, built by the same
 * functions the routes use and written by the PostgreSQL dialect, reaches the unbounded tables through an index (no
 * sequential scan), and the list and board come out of their indexes already in order (no sort of tickets).
 */
import type { SQL } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { deleteStaleThrottles } from '../../src/auth/lockout';
import { toSessionCheck, validateSessionToken } from '../../src/auth/sessions';
import { pruneRound } from '../../src/scheduled/prune';
import { MARKDOWN_VERSION } from '../../src/lib/markdown';
import { readStaleMarkdown, storeRenderedMarkdown } from '../../src/tickets/rerender';
import { remindRound } from '../../src/tickets/reminders';
import { runPlan } from '../../src/db/plan';
import { listProjects } from '../../src/projects/service';
import { encodeCursor } from '../../src/tickets/cursor';
import { tickets } from '../../src/db/schema';
import {
  listMyTickets,
  listTickets,
  readBoard,
  readProjectPage,
  readTicket,
  readTicketForm,
} from '../../src/tickets/queries';
import { listQuerySchema, myQuerySchema, SORTS } from '../../src/tickets/schemas';
import { addComment, changeTicketStatus, createTicket, deleteTicket, updateTicket } from '../../src/tickets/service';
import { usePostgresDb } from './helpers';

/**
 * Tables that grow with use. Users and memberships grow with the team, and on a team-sized table (a few pages) the
 * planner rightly reads the table whole rather than through an index; they are left out here (the libSQL test,
 * which has no such planner, keeps them).
 */
const UNBOUNDED = [
  'tickets',
  'comments',
  'ticket_events',
  'sessions',
  'invitations',
  'mail_deliveries',
  'password_resets',
  'sign_in_throttles',
];

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/** Sequential scans of unbounded tables, and (for the list and board) a sort PostgreSQL had to do itself. */
function planProblems(plan: PlanNode, opts: { sortedByIndex: boolean }): string[] {
  const problems: string[] = [];
  for (const node of nodes(plan)) {
    if (node['Node Type'] === 'Seq Scan' && UNBOUNDED.includes(node['Relation Name'] ?? '')) {
      problems.push(`Seq Scan on ${node['Relation Name']}`);
    }
    if (opts.sortedByIndex && /Sort$/.test(node['Node Type'])) problems.push(node['Node Type']);
  }
  return problems;
}

interface Explainable {
  toSQL(): { sql: string };
}

describe('query plans of the hot routes (PostgreSQL)', () => {
  const pg = usePostgresDb();
  const { db } = pg;
  const now = Date.now();
  const KEY = 'PLAN';
  let me: SQL;
  let managerId: string;
  let memberId: string;

  beforeAll(async () => {
    const admin = pg.admin();
    // 400 users, 12 projects of which PLAN is the big one, everyone in a few projects; 60,000 tickets (30,000 in
    // PLAN), a comment and a history row per ticket, 2,000 sessions. Made in SQL: the shape matters, not the path.
    await admin.unsafe(`
      insert into users (id, email, name, role, password_hash, created_at)
        select gen_random_uuid(), 'user' || i || '@example.com', 'User ' || i,
               case when i % 20 = 0 then 'MANAGER' else 'MEMBER' end, 'x', ${now} - i
        from generate_series(1, 400) i;
      insert into projects (id, key, name, created_at)
        select gen_random_uuid(), case when i = 1 then '${KEY}' else 'P' || i end, 'Project ' || i, ${now}
        from generate_series(1, 12) i;
      insert into project_members (project_id, user_id, added_at)
        select p.id, u.id, ${now} from projects p join users u on (hashtext(p.key || u.email) % 4) = 0
        on conflict do nothing;
      insert into tickets (id, project_id, number, reporter_id, assignee_id, title, description, status, priority,
                           priority_rank, created_at, updated_at)
        select gen_random_uuid(), p.id, n, null, null, 'Ticket ' || n, 'Text ' || n,
               (array['OPEN','IN_PROGRESS','REVIEW','DONE'])[1 + n % 4],
               (array['LOW','MEDIUM','HIGH','CRITICAL'])[1 + n % 4], n % 4, ${now} - n * 1000, ${now} - n * 500
        from projects p, generate_series(1, case when p.key = '${KEY}' then 30000 else 2700 end) n;
      update tickets t set assignee_id = (select id from users order by id offset (t.number % 400) limit 1)
        where t.number % 3 = 0;
      update projects p set next_ticket_number = (select max(number) + 1 from tickets where project_id = p.id);
      insert into comments (id, ticket_id, author_id, body, created_at)
        select gen_random_uuid(), id, assignee_id, 'Comment', created_at + 1 from tickets;
      insert into ticket_events (id, ticket_id, actor_id, field, from_value, to_value, created_at)
        select gen_random_uuid(), id, assignee_id, 'status', 'OPEN', status, created_at + 2 from tickets;
      insert into mail_deliveries (id, kind, ref_id, recipient, status, created_at)
        select gen_random_uuid(), 'ticket_activity', id::text, 'someone@example.com', 'SENT', created_at + 3
        from ticket_events;
      insert into sessions (id, user_id, secret_hash, created_at, last_seen_at, expires_at)
        select gen_random_uuid(), u.id, md5(u.id::text || i), ${now}, ${now}, ${now} + 86400000
        from users u, generate_series(1, 5) i;
      insert into password_resets (id, token_hash, user_id, created_at, expires_at)
        select gen_random_uuid(), md5('reset' || u.id::text || i), u.id, ${now}, ${now} + 3600000
        from users u, generate_series(1, 5) i;
      insert into sign_in_throttles (key, failures, window_started_at)
        select 'account:user' || i || '@example.com', 1, ${now} - i from generate_series(1, 2000) i;
      analyze;
    `);
    const [manager] = await admin.unsafe(`select id from users where role = 'MANAGER' limit 1`);
    const [member] = await admin.unsafe(
      `select u.id from users u join project_members m on m.user_id = u.id join projects p on p.id = m.project_id
       where p.key = '${KEY}' and u.role = 'MEMBER' limit 1`,
    );
    managerId = manager!.id as string;
    memberId = member!.id as string;
    me = sql`${memberId}`;
    const made = await runPlan(
      db,
      createTicket(KEY, { title: 'Real', description: '', status: 'OPEN', priority: 'LOW', assignee: memberId }, now),
      me,
    );
    expect(made.ok).toBe(true);
  }, 120_000);

  async function explain(query: Explainable): Promise<PlanNode> {
    const [row] = await pg.admin().unsafe(`explain (format json) ${query.toSQL().sql}`);
    return (row!['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan;
  }

  async function problemsOf(name: string, statements: readonly unknown[], opts = { sortedByIndex: false }) {
    const found: string[] = [];
    for (const [i, statement] of statements.entries()) {
      found.push(...planProblems(await explain(statement as Explainable), opts).map((p) => `${name} #${i}: ${p}`));
    }
    return found;
  }

  async function expectIndexed(name: string, statements: readonly unknown[], opts = { sortedByIndex: false }) {
    expect(await problemsOf(name, statements, opts)).toEqual([]);
  }

  it('recognises a sequential scan and a sort (the check itself can fail)', async () => {
    const plan = await explain(db.select().from(tickets).orderBy(tickets.title));
    expect(planProblems(plan, { sortedByIndex: true })).toEqual(['Sort', 'Seq Scan on tickets']);
  });

  it('checks the session with the primary key', async () => {
    await expectIndexed(
      'session',
      validateSessionToken(toSessionCheck({ id: crypto.randomUUID(), secret: 'x' }, now)).build(db, me),
    );
  });

  it('reads the dashboard through the membership index', async () => {
    await expectIndexed('dashboard', listProjects().build(db, me));
  });

  // With an assignee filter PostgreSQL may read that person's tickets through the assignee index and sort them: the
  // sort is over one person's assigned tickets, which does not grow with the project. Still never a sequential scan.
  it('serves every sort and filter of the list partial from an index, in order unless filtered by assignee or due date', async () => {
    const filters: Record<string, string>[] = [
      {},
      { status: 'IN_PROGRESS' },
      { priority: 'HIGH' },
      { assignee: 'me' },
      { assignee: 'none' },
      { assignee: managerId },
      { q: 'plan' },
      // Every word a condition, and a ticket key that also matches by number.
      { q: 'crash Avatar plan' },
      { q: `${KEY}-3` },
      { status: 'OPEN', priority: 'LOW', assignee: managerId },
      { due: 'overdue' },
      { due: 'week' },
    ];
    const cursorId = crypto.randomUUID();
    const found: string[] = [];
    const collect = async (...args: Parameters<typeof problemsOf>) => found.push(...(await problemsOf(...args)));
    for (const sort of SORTS) {
      const after = encodeCursor({
        sort,
        values: sort === 'priority' ? [2, now - 5_000_000] : sort === 'due' ? [20260301, now] : [now - 5_000_000],
        id: cursorId,
      });
      for (const filter of filters) {
        for (const page of [{}, { after }]) {
          const query = listQuerySchema.parse({ sort, ...filter, ...page });
          await collect(`list ${JSON.stringify({ sort, ...filter, ...page })}`, listTickets(KEY, query).build(db, me), {
            // With an assignee or a due-date filter PostgreSQL may read the few matching rows through that index and
            // sort them (one person's tickets, the tickets due in a range), never the project's.
            sortedByIndex: !filter.assignee && !filter.due,
          });
        }
      }
    }
    expect(found).toEqual([]);
    const [project, rows, members] = readProjectPage(KEY, listQuerySchema.parse({})).build(db, me);
    await expectIndexed('project page', [project, rows], { sortedByIndex: true });
    await expectIndexed('project page members', [members]);
  });

  // My issues reads one person's tickets through the assignee and reporter indexes and sorts them (they do not grow
  // with any project); never a scan of the tickets table.
  it('reads My issues through the assignee and reporter indexes', async () => {
    for (const filter of [{}, { role: 'assigned' }, { role: 'reported' }, { status: 'OPEN', q: 'plan crash' }]) {
      for (const sort of SORTS) {
        const query = myQuerySchema.parse({ sort, ...filter });
        await expectIndexed(`my issues ${JSON.stringify({ sort, ...filter })}`, listMyTickets(query).build(db, me));
      }
    }
  });

  it('reads the board columns from the status index, already in order', async () => {
    await expectIndexed('board', readBoard(KEY).build(db, me), { sortedByIndex: true });
  });

  it('reads the ticket modal (ticket, comments, activity) and the ticket form by key and number', async () => {
    await expectIndexed('ticket modal', readTicket(KEY, 1).build(db, me));
    await expectIndexed('ticket form', readTicketForm(KEY, 1).build(db, me));
  });

  it('finds what the daily housekeeping deletes through indexes', async () => {
    await expectIndexed('prune', pruneRound(now, now - 7 * 86_400_000, 500).build(db, me));
    await expectIndexed('lockout counters', deleteStaleThrottles(now).build(db, me));
    await expectIndexed('reminders', remindRound('2026-11-29', now, null, 50).build(db, me));
  });

  it('finds and refreshes the Markdown an older renderer made through indexes', async () => {
    // As after a catch-up: the rows raw inserts left at version 0 are current, so stale rows are the rare ones (with
    // every row stale, reading the table in order is the cheaper way to find 50, and the planner rightly says so).
    await pg
      .admin()
      .unsafe(
        `update tickets set rendered_version = ${MARKDOWN_VERSION}; update comments set rendered_version = ${MARKDOWN_VERSION}; analyze tickets; analyze comments;`,
      );
    await expectIndexed('stale markdown', readStaleMarkdown(50).build(db, me));
    const one = [{ id: crypto.randomUUID(), html: '<p>x</p>' }];
    await expectIndexed('store rendered markdown', storeRenderedMarkdown(one, one).build(db, me));
  });

  it('writes create, edit, status change, comment and delete through indexes', async () => {
    const input = { title: 'T', description: '', status: 'REVIEW', priority: 'LOW', assignee: memberId } as const;
    await expectIndexed('create', createTicket(KEY, input, now).build(db, me));
    await expectIndexed('edit', updateTicket(KEY, 2, input, now).build(db, me));
    await expectIndexed('status', changeTicketStatus(KEY, 2, 'DONE', now).build(db, me));
    await expectIndexed('comment', addComment(KEY, 2, { body: 'Hi' }, now).build(db, me));
    await expectIndexed('delete', deleteTicket(KEY, 2).build(db, me));
  });
});
