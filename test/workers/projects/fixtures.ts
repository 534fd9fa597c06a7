/** Project test data written directly to the database (so each test owns its rows): tickets, lookups. */
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
