/** Ticket test data: project and ticket reads, and tickets filed through the real route. */
import { eq } from 'drizzle-orm';
import { projects, tickets, type Project } from '../../../src/db/schema';
import { send, testDb } from '../helpers';

export async function readProject(id: string): Promise<Project> {
  const [row] = await testDb().select().from(projects).where(eq(projects.id, id));
  return row!;
}

export async function ticketsOf(projectId: string) {
  return testDb().select().from(tickets).where(eq(tickets.projectId, projectId)).orderBy(tickets.number);
}

/** Creates a ticket through the real route (htmx form post) and returns its number. */
export async function fileTicket(
  project: Project,
  cookie: string,
  fields: Record<string, string> = {},
): Promise<number> {
  const res = await send(`/p/${project.key}/t`, {
    cookie,
    htmx: true,
    form: { title: 'A ticket', description: '', status: 'OPEN', priority: 'MEDIUM', assignee: '', ...fields },
  });
  if (res.status !== 204) throw new Error(`creating a ticket answered ${res.status}: ${await res.text()}`);
  const rows = await ticketsOf(project.id);
  return rows[rows.length - 1]!.number;
}

export function counters(p: Project) {
  return { open: p.openCount, inProgress: p.inProgressCount, review: p.reviewCount, done: p.doneCount };
}
