/**
 * Statements whose SQL is built once (db/cached): every run answers for its own values and its own session, however
 * many runs with other values came before it.
 */
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createSession,
  currentUserId,
  generateSession,
  toSessionCheck,
  validateSessionToken,
} from '../../src/auth/sessions';
import { both, runPlan } from '../../src/db/plan';
import { inboxItems, projectMembers, projects, tickets, ticketWatchers, users } from '../../src/db/schema';
import { readTicket } from '../../src/tickets/queries';
import { createTicket } from '../../src/tickets/service';
import type { TicketInput } from '../../src/tickets/schemas';
import { useLibsqlDb } from './helpers';

describe('statements built once (db/cached)', () => {
  const { db } = useLibsqlDb();
  const now = Date.now();
  const alice = crypto.randomUUID();
  const bob = crypto.randomUUID();
  const projectId = crypto.randomUUID();
  const tokens: Record<string, { id: string; secret: string }> = {};

  beforeAll(async () => {
    await db.insert(users).values([
      { id: alice, email: 'alice@example.com', name: 'Alice', passwordHash: 'x', createdAt: now },
      { id: bob, email: 'bob@example.com', name: 'Bob', passwordHash: 'x', role: 'MEMBER', createdAt: now },
    ]);
    await db.insert(projects).values({ id: projectId, key: 'CACH', name: 'Cache', createdAt: now });
    await db.insert(projectMembers).values({ projectId, userId: alice, addedAt: now });
    const ticket = {
      projectId,
      reporterId: alice,
      status: 'OPEN' as const,
      priority: 'LOW' as const,
      createdAt: now,
      updatedAt: now,
    };
    await db.insert(tickets).values([
      { ...ticket, id: crypto.randomUUID(), number: 1, title: 'First', description: '' },
      { ...ticket, id: crypto.randomUUID(), number: 2, title: 'Second', description: '' },
    ]);
    for (const [name, id] of [
      ['alice', alice],
      ['bob', bob],
    ] as const) {
      const created = generateSession(id, now);
      await createSession(db, created.session);
      const [sid, secret] = created.token.split('.') as [string, string];
      tokens[name] = { id: sid, secret };
    }
  });

  /** A request as `authenticate()` runs it: the session check and the modal's reads in one batch. */
  async function openTicket(token: { id: string; secret: string }, number: number) {
    const check = toSessionCheck(token, now + 1000);
    const [session, out] = await runPlan(
      db,
      both(validateSessionToken(check), readTicket('CACH', number)),
      currentUserId(check),
    );
    return { user: session.ok ? session.user.name : null, title: out.ok ? out.ticket.title : out.reason };
  }

  it('answers each session and each ticket with its own rows, run after run', async () => {
    expect(await openTicket(tokens.alice!, 1)).toEqual({ user: 'Alice', title: 'First' });
    expect(await openTicket(tokens.alice!, 2)).toEqual({ user: 'Alice', title: 'Second' });
    // Bob is a member of no project: the same statements, his session, nothing of the project.
    expect(await openTicket(tokens.bob!, 1)).toEqual({ user: 'Bob', title: 'project' });
    expect(await openTicket(tokens.alice!, 1)).toEqual({ user: 'Alice', title: 'First' });
    expect(await openTicket(tokens.alice!, 3)).toEqual({ user: 'Alice', title: 'ticket' });
  });

  it('reads nothing for a wrong secret after the right one was used', async () => {
    expect(await openTicket(tokens.alice!, 1)).toEqual({ user: 'Alice', title: 'First' });
    const forged = { id: tokens.alice!.id, secret: 'a'.repeat(24) };
    expect(await openTicket(forged, 1)).toEqual({ user: null, title: 'project' });
  });

  /** A create as the route runs it: the session check and the create's statements in one batch. */
  async function create(token: { id: string; secret: string }, input: Partial<TicketInput>) {
    const check = toSessionCheck(token, now + 1000);
    const full: TicketInput = {
      title: 'T',
      description: '',
      status: 'OPEN',
      priority: 'MEDIUM',
      assignee: null,
      ...input,
    };
    const [, out] = await runPlan(
      db,
      both(validateSessionToken(check), createTicket('CACH', full, now)),
      currentUserId(check),
    );
    return out.ok ? { number: out.number } : { refused: out.reason };
  }

  it('creates with each status, assignee and number of mentions, each with its own values', async () => {
    await db.insert(projectMembers).values({ projectId, userId: bob, addedAt: now });
    await db.update(projects).set({ nextTicketNumber: 3 }).where(eq(projects.id, projectId));
    const mention = (id: string, name: string) => `@[${name}](${id})`;
    const key = crypto.randomUUID();
    const made = [
      await create(tokens.alice!, { title: 'One', status: 'DONE' }),
      await create(tokens.alice!, { title: 'Two', assignee: bob, status: 'REVIEW', form_key: key }),
      // The same form again: the first submit's ticket, nothing new.
      await create(tokens.alice!, { title: 'Two again', assignee: bob, status: 'REVIEW', form_key: key }),
      await create(tokens.bob!, { title: 'Three', description: `hi ${mention(alice, 'Alice')}`, status: 'DONE' }),
      await create(tokens.alice!, { title: 'Four', assignee: crypto.randomUUID() }),
      await create(tokens.alice!, { title: 'Five', description: mention(crypto.randomUUID(), 'Nobody') }),
      await create(tokens.alice!, { title: 'Six', status: 'IN_PROGRESS', assignee: null }),
    ];
    expect(made).toEqual([
      { number: 3 },
      { number: 4 },
      { number: 4 },
      { number: 5 },
      { refused: 'assignee' },
      { refused: 'mention' },
      { number: 6 },
    ]);
    const rows = await db
      .select({ number: tickets.number, title: tickets.title, status: tickets.status, assignee: tickets.assigneeId })
      .from(tickets)
      .where(eq(tickets.projectId, projectId))
      .orderBy(tickets.number);
    expect(rows.slice(2)).toEqual([
      { number: 3, title: 'One', status: 'DONE', assignee: null },
      { number: 4, title: 'Two', status: 'REVIEW', assignee: bob },
      { number: 5, title: 'Three', status: 'DONE', assignee: null },
      { number: 6, title: 'Six', status: 'IN_PROGRESS', assignee: null },
    ]);
    const [counts] = await db
      .select({
        next: projects.nextTicketNumber,
        open: projects.openCount,
        inProgress: projects.inProgressCount,
        review: projects.reviewCount,
        done: projects.doneCount,
      })
      .from(projects)
      .where(eq(projects.id, projectId));
    expect(counts).toMatchObject({ next: 7, inProgress: 1, review: 1, done: 2 });
    // Bob was told of the ticket given to him, Alice of the one that mentions her; nobody of their own.
    const told = await db
      .select({ user: inboxItems.userId, kind: inboxItems.kind, title: tickets.title })
      .from(inboxItems)
      .innerJoin(tickets, eq(tickets.id, inboxItems.ticketId))
      .orderBy(tickets.number);
    expect(told).toEqual([
      { user: bob, kind: 'assigned', title: 'Two' },
      { user: alice, kind: 'mention', title: 'Three' },
    ]);
    const watchers = await db
      .select({ user: ticketWatchers.userId, title: tickets.title })
      .from(ticketWatchers)
      .innerJoin(tickets, eq(tickets.id, ticketWatchers.ticketId))
      .where(eq(tickets.title, 'Three'));
    expect(watchers.map((w) => w.user).sort()).toEqual([alice, bob].sort());
  });
});
