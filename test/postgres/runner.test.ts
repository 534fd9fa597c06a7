/**
 * The PostgreSQL runner on a real server: a plan is one network flight and one transaction, values survive the trip
 * as SQLite gives them, a failure half-way through a plan leaves nothing written, concurrent plans give the answers
 * SQLite's one-writer-at-a-time gives, and an unreachable server is reported as unavailable.
 */
import { createServer, connect, type Server } from 'node:net';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresClient, createPostgresDb } from '../../src/db/backends/postgres';
import { RoundTripCounter } from '../../src/db/database';
import { isDatabaseUnavailable } from '../../src/db/errors';
import { runPlan } from '../../src/db/plan';
import { invitations, projectMembers, projects, tickets, users } from '../../src/db/schema';
import { joinAsNewUser } from '../../src/invitations/join';
import { createTicket } from '../../src/tickets/service';
import { usePostgresDb } from './helpers';

/**
 * A TCP relay that counts network flights: a flight starts each time the client sends after an answer reached it (or
 * for the first time). Answers are held back 50 ms, so a client that waits for one shows up as a second flight while
 * statements written back to back (in as many TCP writes as it likes) stay one.
 */
async function flightCounter(target: URL): Promise<{ url: string; flights: () => number; close: () => void }> {
  let flights = 0;
  let answered = true;
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    client.on('data', (chunk) => {
      if (answered) flights++;
      answered = false;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      setTimeout(() => {
        answered = true;
        client.write(chunk);
      }, 50);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const relayed = new URL(target);
  relayed.port = String((server.address() as { port: number }).port);
  return { url: relayed.toString(), flights: () => flights, close: () => server.close() };
}

const now = Date.now();

async function seed(db: ReturnType<typeof usePostgresDb>['db'], key: string) {
  const userId = crypto.randomUUID();
  const projectId = crypto.randomUUID();
  await db.insert(users).values({
    id: userId,
    email: `${key.toLowerCase()}@example.com`,
    name: `Owner of ${key}`,
    passwordHash: 'x',
    createdAt: now,
  });
  await db.insert(projects).values({ id: projectId, key, name: key, createdAt: now });
  await db.insert(projectMembers).values({ projectId, userId, addedAt: now });
  return { userId, projectId, me: sql`${userId}` };
}

const input = { title: 'Pipelined', description: '', status: 'OPEN', priority: 'HIGH', assignee: null } as const;

describe('PostgreSQL runner', () => {
  const counter = new RoundTripCounter();
  const pg = usePostgresDb(counter);
  const { db } = pg;

  it('sends a plan as one network flight and counts it as one round trip', async () => {
    const { me } = await seed(db, 'FLY');
    const relay = await flightCounter(new URL(pg.url));
    const relayed = createPostgresDb(createPostgresClient(relay.url), counter);
    try {
      await relayed.db.select().from(users).limit(1); // the connection is opened once per client, before any plan
      const before = relay.flights();
      counter.count = 0;
      const created = await runPlan(relayed.db, createTicket('FLY', input, now), me);
      expect(created).toMatchObject({ ok: true, number: 1 });
      expect(relay.flights() - before).toBe(1);
      expect(counter.count).toBe(1);
    } finally {
      await relayed.close();
      relay.close();
    }
  });

  it('brings values back as SQLite does: booleans, millisecond times, NULL and any text', async () => {
    const id = crypto.randomUUID();
    const awkward = `O'Brien \\ "quoted" ? $1 -- not a comment; /* nor this */ ünïcødé 🎫`;
    await db.insert(users).values({
      id,
      email: `odd-${id}@example.com`,
      name: awkward,
      passwordHash: 'x',
      notifyEmail: false,
      disabledAt: null,
      createdAt: 4_102_444_800_123,
    });
    const [row] = await db.select().from(users).where(eq(users.id, id));
    expect(row).toMatchObject({ name: awkward, notifyEmail: false, disabledAt: null, createdAt: 4_102_444_800_123 });
    const [flag] = await db
      .select({ on: users.notifyEmail, exists: sql<number>`exists (select 1 from ${users} where ${users.id} = ${id})` })
      .from(users)
      .where(eq(users.id, id));
    expect(flag).toEqual({ on: false, exists: 1 });
  });

  it('leaves nothing written when a statement fails half-way through a plan', async () => {
    const { me, projectId } = await seed(db, 'ATOM');
    const statements = createTicket('ATOM', input, now).build(db, me);
    // The project's counters are bumped first; then a statement fails; the ticket insert would come after it.
    const failing = db
      .insert(users)
      .values({ id: 'not-a-uuid', email: 'x', name: 'x', passwordHash: 'x', createdAt: 0 });
    await expect(db.batch([statements[0], failing, ...statements.slice(1)] as never)).rejects.toThrow(/uuid/);
    const [project] = await db.select().from(projects).where(eq(projects.id, projectId));
    expect(project).toMatchObject({ nextTicketNumber: 1, openCount: 0 });
    expect(await db.select().from(tickets).where(eq(tickets.projectId, projectId))).toEqual([]);
    // The same plan without the failure goes through on the same connection.
    expect(await runPlan(db, createTicket('ATOM', input, now), me)).toMatchObject({ ok: true, number: 1 });
  });

  it('numbers concurrent creates 1…n without gaps or duplicates', async () => {
    const { me, projectId } = await seed(db, 'RACE');
    const clients = Array.from({ length: 6 }, () => createPostgresDb(createPostgresClient(pg.url)));
    try {
      const results = await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          runPlan(clients[i % clients.length]!.db, createTicket('RACE', { ...input, title: `T${i}` }, now), me),
        ),
      );
      expect(results.every((r) => r.ok)).toBe(true);
      const numbers = (await db.select({ n: tickets.number }).from(tickets).where(eq(tickets.projectId, projectId)))
        .map((r) => r.n)
        .sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
      const [project] = await db.select().from(projects).where(eq(projects.id, projectId));
      expect(project).toMatchObject({ nextTicketNumber: 25, openCount: 24 });
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });

  it('lets exactly one of two concurrent joins with one invitation create a user', async () => {
    const invitationId = crypto.randomUUID();
    await db.insert(invitations).values({
      id: invitationId,
      tokenHash: `hash-${invitationId}`,
      email: 'twice@example.com',
      expiresAt: now + 60_000,
      createdAt: now,
    });
    const clients = [createPostgresDb(createPostgresClient(pg.url)), createPostgresDb(createPostgresClient(pg.url))];
    try {
      const join = (i: number) =>
        runPlan(clients[i]!.db, joinAsNewUser({ invitationId, name: `Joiner ${i}`, passwordHash: 'x', now }));
      const results = await Promise.all([join(0), join(1)]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'not_available' }]);
      expect(await db.select().from(users).where(eq(users.email, 'twice@example.com'))).toHaveLength(1);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });
});

describe('PostgreSQL out of reach', () => {
  let closedPort: number;
  beforeAll(async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closedPort = (server.address() as { port: number }).port;
    await new Promise((resolve) => server.close(resolve));
  });
  const pg = usePostgresDb();
  /** Whether a read through a client for `url` fails as "database unavailable". */
  async function readsAsUnavailable(url: URL): Promise<boolean> {
    const { db, close } = createPostgresDb(createPostgresClient(url.toString()));
    const failure = await db
      .select()
      .from(users)
      .catch((e: unknown) => e);
    await close();
    return isDatabaseUnavailable(failure);
  }

  it('reports a server that does not answer as unavailable', async () => {
    const url = new URL(pg.url);
    url.port = String(closedPort);
    expect(await readsAsUnavailable(url)).toBe(true);
  });

  it('reports a refused password as unavailable', async () => {
    const url = new URL(pg.url);
    url.password = 'wrong';
    expect(await readsAsUnavailable(url)).toBe(true);
  });
});
