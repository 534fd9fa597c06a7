/** Project test data written directly to the database (so each test owns its rows). */
import { eq } from 'drizzle-orm';
import {
  comments,
  projectMembers,
  projects,
  ticketEvents,
  tickets,
  type Project,
  type Status,
  type User,
} from '../../../src/db/schema';
import { testDb } from '../helpers';

let counter = 0;

/** A fresh, unique key of letters only (keys allow no digits). */
export function uniqueKey(): string {
  counter++;
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let n = counter * 7919 + Math.floor(Math.random() * 1000) * 104729;
  let key = '';
  for (let i = 0; i < 5; i++) {
    key += letters[n % 26];
    n = Math.floor(n / 26);
  }
  return `Q${key}`;
}

export async function makeProject(overrides: Partial<Project> = {}, members: readonly User[] = []): Promise<Project> {
  const db = testDb();
  const row: Project = {
    id: crypto.randomUUID(),
    key: uniqueKey(),
    name: `Project ${counter}`,
    description: '',
    createdBy: null,
    createdAt: Date.now(),
    archivedAt: null,
    nextTicketNumber: 1,
    openCount: 0,
    inProgressCount: 0,
    reviewCount: 0,
    doneCount: 0,
    ...overrides,
  };
  await db.insert(projects).values(row);
  for (const user of members) await addMember(row, user);
  return row;
}

export async function addMember(project: Project, user: User): Promise<void> {
  await testDb().insert(projectMembers).values({ projectId: project.id, userId: user.id, addedAt: Date.now() });
}

/** Inserts tickets (each with a comment and an event) and keeps the project's counters in step. */
export async function addTickets(project: Project, statuses: readonly Status[], reporter: User): Promise<string[]> {
  const db = testDb();
  const ids: string[] = [];
  const now = Date.now();
  let number = project.nextTicketNumber;
  for (const status of statuses) {
    const id = crypto.randomUUID();
    ids.push(id);
    await db.insert(tickets).values({
      id,
      projectId: project.id,
      number: number++,
      reporterId: reporter.id,
      title: `Ticket ${number}`,
      status,
      createdAt: now,
      updatedAt: now,
    });
    await db
      .insert(comments)
      .values({ id: crypto.randomUUID(), ticketId: id, authorId: reporter.id, body: 'hi', createdAt: now });
    await db.insert(ticketEvents).values({
      id: crypto.randomUUID(),
      ticketId: id,
      actorId: reporter.id,
      field: 'status',
      fromValue: null,
      toValue: status,
      createdAt: now,
    });
  }
  const count = (s: Status) => statuses.filter((x) => x === s).length;
  await db
    .update(projects)
    .set({
      nextTicketNumber: number,
      openCount: project.openCount + count('OPEN'),
      inProgressCount: project.inProgressCount + count('IN_PROGRESS'),
      reviewCount: project.reviewCount + count('REVIEW'),
      doneCount: project.doneCount + count('DONE'),
    })
    .where(eq(projects.id, project.id));
  return ids;
}

export async function projectByKey(key: string): Promise<Project | undefined> {
  return (await testDb().select().from(projects).where(eq(projects.key, key)))[0];
}

export async function memberIds(project: Project): Promise<string[]> {
  const rows = await testDb()
    .select({ userId: projectMembers.userId })
    .from(projectMembers)
    .where(eq(projectMembers.projectId, project.id));
  return rows.map((r) => r.userId);
}

export function triggers(res: Response): Record<string, unknown> {
  return JSON.parse(res.headers.get('HX-Trigger') ?? '{}') as Record<string, unknown>;
}
