/**
 * Statements whose SQL is built once (db/cached): every run answers for its own values and its own session, however
 * many runs with other values came before it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createSession,
  currentUserId,
  generateSession,
  toSessionCheck,
  validateSessionToken,
} from '../../src/auth/sessions';
import { both, runPlan } from '../../src/db/plan';
import { projectMembers, projects, tickets, users } from '../../src/db/schema';
import { readTicket } from '../../src/tickets/queries';
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
});
