/** The ticket service's batches on real libSQL: create, list, status change, comment and delete, one round trip each. */
import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { RoundTripCounter } from '../../src/db/client';
import { mailDeliveries, projectMembers, projects, ticketEvents, tickets, users } from '../../src/db/schema';
import { listQuerySchema } from '../../src/tickets/schemas';
import { runPlan } from '../../src/db/plan';
import { readBoard, listTickets, readTicket } from '../../src/tickets/queries';
import { addComment, changeTicketStatus, createTicket, deleteTicket, updateTicket } from '../../src/tickets/service';
import { useLibsqlDb } from './helpers';

describe('ticket service on libSQL', () => {
  const counter = new RoundTripCounter();
  const { client, db } = useLibsqlDb(counter);
  const now = Date.now();
  const alice = crypto.randomUUID();
  const bob = crypto.randomUUID();
  const projectId = crypto.randomUUID();
  const asAlice = sql`${alice}`;
  const asBob = sql`${bob}`;

  beforeAll(async () => {
    await db.insert(users).values([
      { id: alice, email: 'alice@example.com', name: 'Alice', passwordHash: 'x', createdAt: now },
      { id: bob, email: 'bob@example.com', name: 'Bob', passwordHash: 'x', createdAt: now },
    ]);
    await db.insert(projects).values({ id: projectId, key: 'LIB', name: 'Library', createdAt: now });
    await db.insert(projectMembers).values([
      { projectId, userId: alice, addedAt: now },
      { projectId, userId: bob, addedAt: now },
    ]);
  });

  async function measured<R>(run: () => Promise<R>): Promise<R> {
    counter.count = 0;
    const result = await run();
    expect(counter.count).toBe(1);
    return result;
  }

  const input = { title: 'On libSQL', description: 'Hello', status: 'OPEN', priority: 'HIGH', assignee: null } as const;

  it('creates, lists, moves, comments on and deletes tickets, keeping the counters', async () => {
    const created = await measured(() => runPlan(db, createTicket('LIB', { ...input }, now), asAlice));
    expect(created).toMatchObject({ ok: true, number: 1 });
    await runPlan(db, createTicket('LIB', { ...input, title: 'Second', assignee: bob }, now + 1), asAlice);

    const list = await measured(() => runPlan(db, listTickets('LIB', listQuerySchema.parse({})), asBob));
    expect(list.ok && list.page.rows.map((r) => [r.number, r.assigneeName])).toEqual([
      [2, 'Bob'],
      [1, null],
    ]);

    const moved = await measured(() => runPlan(db, changeTicketStatus('LIB', 1, 'DONE', now + 2), asBob));
    expect(moved.ok && moved.messages.map((m) => [m.kind, m.recipientId])).toEqual([['status', alice]]);

    const edited = await measured(() =>
      runPlan(
        db,
        updateTicket('LIB', 2, { ...input, title: 'Renamed', status: 'REVIEW', assignee: bob }, now + 3),
        asAlice,
      ),
    );
    expect(edited.ok).toBe(true);

    const commented = await measured(() =>
      runPlan(db, addComment('LIB', 2, { body: 'A *comment*' }, now + 4), asAlice),
    );
    expect(commented.ok && commented.messages.map((m) => m.recipientId)).toEqual([bob]);

    const view = await measured(() => runPlan(db, readTicket('LIB', 2), asBob));
    expect(view.ok && view.ticket.title).toBe('Renamed');
    expect(view.ok && view.events.map((e) => e.field).sort()).toEqual(['status', 'title']);
    expect(view.ok && view.comments.map((c) => c.authorName)).toEqual(['Alice']);

    const board = await measured(() => runPlan(db, readBoard('LIB'), asBob));
    expect(board.ok && [board.columns.DONE.cards.length, board.columns.REVIEW.cards.length]).toEqual([1, 1]);

    const [row] = await db.select().from(projects).where(eq(projects.id, projectId));
    expect([row!.openCount, row!.inProgressCount, row!.reviewCount, row!.doneCount]).toEqual([0, 0, 1, 1]);

    expect(await runPlan(db, deleteTicket('LIB', 1), asBob)).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(await measured(() => runPlan(db, deleteTicket('LIB', 1), asAlice))).toMatchObject({ ok: true });
    const [after] = await db.select().from(projects).where(eq(projects.id, projectId));
    expect([after!.openCount, after!.reviewCount, after!.doneCount, after!.nextTicketNumber]).toEqual([0, 1, 0, 3]);

    const deliveries = await db.select().from(mailDeliveries);
    // Alice for Bob's move of ticket 1; Bob (the assignee) once for Alice's edit of ticket 2 (one save that changed
    // the title and the status) and once for her comment.
    expect(deliveries.map((d) => d.recipient).sort()).toEqual([
      'alice@example.com',
      'bob@example.com',
      'bob@example.com',
    ]);
    expect(await db.select().from(ticketEvents)).not.toHaveLength(0);
  });

  it('does nothing for someone who is not in the project', async () => {
    const created = await runPlan(db, createTicket('LIB', { ...input }, now), asAlice);
    if (!created.ok) throw new Error('the ticket was not created');
    const projectRow = async () => (await db.select().from(projects).where(eq(projects.id, projectId)))[0]!;
    const ticketRow = async () =>
      (await db.select().from(tickets).where(eq(tickets.projectId, projectId))).find(
        (t) => t.number === created.number,
      );
    const [projectBefore, ticketBefore] = [await projectRow(), await ticketRow()];
    expect(ticketBefore?.status).toBe('OPEN');

    const stranger = sql`${crypto.randomUUID()}`;
    expect(await runPlan(db, createTicket('LIB', { ...input }, now + 10), stranger)).toMatchObject({
      ok: false,
      reason: 'project',
    });
    expect(await runPlan(db, changeTicketStatus('LIB', created.number, 'DONE', now + 10), stranger)).toMatchObject({
      ok: false,
    });
    expect(await projectRow()).toEqual(projectBefore);
    expect(await ticketRow()).toEqual(ticketBefore);
  });

  it('reads the list and the board through the ticket indexes, with the keyset cursor, never a table scan', async () => {
    const explain = async (query: { toSQL(): { sql: string; params: unknown[] } }) => {
      const { sql: text, params } = query.toSQL();
      const rows = await client.execute({ sql: `explain query plan ${text}`, args: params as never });
      return rows.rows.map((r) => String(r.detail)).join(' | ');
    };
    const cursor = (sort: string) => {
      const first = listQuerySchema.parse({ sort });
      return listTickets('LIB', first).build(db, asAlice)[1];
    };
    for (const [sort, index] of [
      ['created', 'tickets_project_created_idx'],
      ['updated', 'tickets_project_updated_idx'],
      ['priority', 'tickets_project_priority_idx'],
    ] as const) {
      const detail = await explain(cursor(sort));
      expect(detail, sort).toContain(`SEARCH tickets USING INDEX ${index}`);
      expect(detail, sort).not.toMatch(/SCAN tickets|USE TEMP B-TREE FOR ORDER BY/);
    }
    const after = listQuerySchema.parse({
      after: 'Y3JlYXRlZC4xNzAwMDAwMDAwMDAwLjAwMDAwMDAwLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDAwMA',
    });
    const paged = await explain(listTickets('LIB', after).build(db, asAlice)[1]);
    expect(paged).toMatch(
      /SEARCH tickets USING INDEX tickets_project_created_idx \(project_id=\? AND \(created_at,id\)<\(\?,\?\)\)/,
    );
    const board = await explain(readBoard('LIB').build(db, asAlice)[1]);
    expect(board).toContain('SEARCH tickets USING INDEX tickets_project_status_idx (project_id=? AND status=?)');
    expect(board).not.toMatch(/SCAN tickets|TEMP B-TREE/);
  });
});
