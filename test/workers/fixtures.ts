/** Shared test data written directly to the database: projects, memberships and signed-in members. */
import { projectMembers, projects, type Project, type User } from '../../src/db/schema';
import { signedIn, testDb } from './helpers';

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
  const key = overrides.key ?? uniqueKey();
  const row: Project = {
    id: crypto.randomUUID(),
    key,
    name: `Project ${key}`,
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
  await testDb().insert(projects).values(row);
  for (const user of members) await addMember(row, user);
  return row;
}

export async function addMember(project: Pick<Project, 'id'>, user: Pick<User, 'id'>): Promise<void> {
  await testDb().insert(projectMembers).values({ projectId: project.id, userId: user.id, addedAt: Date.now() });
}

/** A signed-in member of `project`. */
export async function member(project: Project, overrides: Partial<User> = {}) {
  const session = await signedIn(overrides);
  await addMember(project, session.user);
  return session;
}
