/** Ticket test data made directly in the database: projects, memberships and tickets. */
import { eq } from 'drizzle-orm';
import { projectMembers, projects, tickets, type Project, type User } from '../../../src/db/schema';
import { send, signedIn, testDb } from '../helpers';

export function uniqueKey(): string {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return Array.from(bytes, (b) => letters[b % 26]).join('');
}

export async function createProject(members: User[] = [], name?: string): Promise<Project> {
  const db = testDb();
  const key = uniqueKey();
  const [project] = await db
    .insert(projects)
    .values({ id: crypto.randomUUID(), key, name: name ?? `Project ${key}`, createdAt: Date.now() })
    .returning();
  for (const user of members) await addMember(project!, user);
  return project!;
}

export async function addMember(project: Project, user: User): Promise<void> {
  await testDb().insert(projectMembers).values({ projectId: project.id, userId: user.id, addedAt: Date.now() });
}

/** A signed-in member of `project`. */
export async function member(project: Project, overrides: Partial<User> = {}) {
  const session = await signedIn(overrides);
  await addMember(project, session.user);
  return session;
}

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
