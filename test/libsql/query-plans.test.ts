/**
 * The hot queries' plans on libSQL: every statement the hot routes batch, built by the same functions the routes
 * use, must reach the unbounded tables through an index (no full table scan) and the list must come out of its
 * index already sorted (no temporary B-tree for its ORDER BY), so its cost stays flat as a project grows.
 */
import type { SQL } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { deleteStaleThrottles } from '../../src/auth/lockout';
import { toSessionCheck, validateSessionToken } from '../../src/auth/sessions';
import { pruneRound } from '../../src/scheduled/prune';
import { readStaleMarkdown, storeRenderedMarkdown } from '../../src/tickets/rerender';
import { remindRound } from '../../src/tickets/reminders';
import { digestRound } from '../../src/notifications/digest';
import { digestMail } from '../../src/mail/kinds/digest';
import { comments, projectMembers, projects, ticketEvents, tickets, users } from '../../src/db/schema';
import { listProjects } from '../../src/projects/service';
import { encodeCursor } from '../../src/tickets/cursor';
import { runPlan } from '../../src/db/plan';
import {
  listMyTickets,
  readBoard,
  readBoardColumn,
  readProjectPage,
  readTicketForm,
  listTickets,
  readTicket,
} from '../../src/tickets/queries';
import { listQuerySchema, myQuerySchema, SORTS } from '../../src/tickets/schemas';
import { addComment, changeTicketStatus, createTicket, deleteTicket, updateTicket } from '../../src/tickets/service';
import { sessionMe, useLibsqlDb } from './helpers';

/** Tables that grow with use; projects (a few per team) are left out. */
const UNBOUNDED = [
  'password_resets',
  'sign_in_throttles',
  'tickets',
  'comments',
  'ticket_events',
  'sessions',
  'users',
  'project_members',
  'invitations',
  'mail_deliveries',
];

interface Explainable {
  toSQL(): { sql: string; params: unknown[] };
}

/** What is wrong with a plan: full scans of unbounded tables, and (for the list) a sort the index did not give. */
function planProblems(details: string[], opts: { sortedByIndex: boolean }): string[] {
  const problems: string[] = [];
  for (const detail of details) {
    const scan = /^SCAN (\w+)/.exec(detail);
    if (scan && UNBOUNDED.includes(scan[1]!) && !/USING (COVERING )?INDEX/.test(detail)) problems.push(detail);
    if (opts.sortedByIndex && /USE TEMP B-TREE FOR .*ORDER BY/.test(detail)) problems.push(detail);
  }
  return problems;
}

describe('query plans of the hot routes (libSQL)', () => {
  let me: SQL;
  const now = Date.now();
  const managerId = crypto.randomUUID();
  const memberId = crypto.randomUUID();
  const projectId = crypto.randomUUID();
  const KEY = 'PLAN';
  const { client, db } = useLibsqlDb();

  beforeAll(async () => {
    await db.insert(users).values([
      {
        id: managerId,
        email: 'plan-manager@example.com',
        name: 'Manager',
        role: 'MANAGER',
        passwordHash: 'x',
        createdAt: now,
      },
      { id: memberId, email: 'plan-member@example.com', name: 'Member', passwordHash: 'x', createdAt: now },
    ]);
    await db.insert(projects).values({ id: projectId, key: KEY, name: 'Plans', createdAt: now });
    await db.insert(projectMembers).values([
      { projectId, userId: managerId, addedAt: now },
      { projectId, userId: memberId, addedAt: now },
    ]);
    me = await sessionMe(db, memberId, now);
    // Some rows in every table the hot queries read, made by the app's own writes.
    const input = {
      title: 'Plan',
      description: 'Text',
      status: 'OPEN',
      priority: 'HIGH',
      assignee: managerId,
    } as const;
    for (let i = 0; i < 30; i++) {
      const created = await runPlan(db, createTicket(KEY, { ...input, title: `Plan ${i}` }, now + i), me);
      expect(created.ok).toBe(true);
    }
    await runPlan(db, changeTicketStatus(KEY, 1, 'DONE', now + 100), me);
    await runPlan(db, addComment(KEY, 1, { body: 'A comment' }, now + 101), me);
    expect(await db.$count(tickets)).toBe(30);
    expect(await db.$count(comments)).toBe(1);
    expect(await db.$count(ticketEvents)).toBe(1);
  });

  async function explain(query: Explainable): Promise<string[]> {
    const { sql: text, params } = query.toSQL();
    const result = await client.execute({ sql: `explain query plan ${text}`, args: params as never });
    return result.rows.map((r) => String(r.detail));
  }

  /** Explains every statement and fails with the offending plan lines, named after the statement. */
  async function expectIndexed(name: string, statements: readonly unknown[], opts = { sortedByIndex: false }) {
    const found: string[] = [];
    for (const [i, statement] of statements.entries()) {
      const details = await explain(statement as Explainable);
      expect(details.length, `${name} #${i} has a plan`).toBeGreaterThan(0);
      found.push(...planProblems(details, opts).map((p) => `${name} #${i}: ${p}`));
    }
    expect(found).toEqual([]);
  }

  it('recognises a full table scan and an unindexed sort (the check itself can fail)', async () => {
    const scan = await explain(db.select().from(tickets).orderBy(tickets.title));
    expect(planProblems(scan, { sortedByIndex: true })).toEqual(['SCAN tickets', 'USE TEMP B-TREE FOR ORDER BY']);
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

  it('serves every sort and filter of the list partial from an index, already in order', async () => {
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
    for (const sort of SORTS) {
      const after = encodeCursor({
        sort,
        values: sort === 'priority' ? [2, now] : sort === 'due' ? [20260301, now] : [now],
        id: cursorId,
      });
      for (const filter of filters) {
        for (const page of [{}, { after }]) {
          const query = listQuerySchema.parse({ sort, ...filter, ...page });
          expect(query.after).toBe((page as { after?: string }).after);
          await expectIndexed(
            `list ${JSON.stringify({ sort, ...filter, ...page })}`,
            listTickets(KEY, query).build(db, me),
            {
              sortedByIndex: true,
            },
          );
        }
      }
    }
    // The full page adds the project's members (a handful, sorted by name) for the assignee filter.
    const [project, rows, members] = readProjectPage(KEY, listQuerySchema.parse({})).build(db, me);
    await expectIndexed('project page', [project, rows], { sortedByIndex: true });
    await expectIndexed('project page members', [members]);
  });

  // My issues reads one person's tickets through the assignee and reporter indexes and sorts them (they do not grow
  // with any project); never a scan of the tickets table.
  it('reads My issues through the assignee and reporter indexes', async () => {
    for (const filter of [
      {},
      { role: 'assigned' },
      { role: 'reported' },
      { status: 'OPEN', q: 'plan crash' },
      { due: 'overdue' },
    ]) {
      for (const sort of SORTS) {
        const query = myQuerySchema.parse({ sort, ...filter });
        await expectIndexed(`my issues ${JSON.stringify({ sort, ...filter })}`, listMyTickets(query).build(db, me));
      }
    }
  });

  it('reads the board columns from the status index, already in order', async () => {
    await expectIndexed('board', readBoard(KEY).build(db, me), { sortedByIndex: true });
    // "Show more": the next cards of one column, from the cursor on, still in index order.
    const after = encodeCursor({ sort: 'updated', values: [Date.now()], id: crypto.randomUUID() });
    await expectIndexed('board column', readBoardColumn(KEY, 'OPEN', after).build(db, me), { sortedByIndex: true });
  });

  it('reads the ticket modal (ticket, comments, activity) and the ticket form by key and number', async () => {
    await expectIndexed('ticket modal', readTicket(KEY, 1).build(db, me));
    await expectIndexed('ticket form', readTicketForm(KEY, 1).build(db, me));
  });

  it('finds what the daily housekeeping deletes through indexes', async () => {
    await expectIndexed('prune', pruneRound(now, now - 7 * 86_400_000, 500).build(db, me));
    await expectIndexed('lockout counters', deleteStaleThrottles(now).build(db, me));
    // Due-date reminders walk the open tickets by due date, from the start and from where a round stopped.
    await expectIndexed('reminders', remindRound('2026-11-29', now, null, 50).build(db, me));
    await expectIndexed(
      'reminders, next round',
      remindRound('2026-11-29', now, { rank: 20261101, id: crypto.randomUUID() }, 50).build(db, me),
    );
    // The daily digest: the people due one, and the unread items one lists when it is sent.
    await expectIndexed('digest', digestRound(now, 50).build(db, me));
    const message = { type: 'digest', id: memberId, since: 0, until: now, deliveryId: crypto.randomUUID() } as const;
    await expectIndexed('digest email', digestMail.load(message, now).build(db, me));
  });

  it('finds and refreshes the Markdown an older renderer made through indexes', async () => {
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
