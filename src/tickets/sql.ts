/** @module tickets/sql — the SQL pieces the ticket plans share (visibility, ticket references, member lists). */
import { and, asc, eq, isNull, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { canSeeProject } from '../auth/permissions';
import type { Db } from '../db/client';
import { cached } from '../db/cached';
import { PRIORITIES, projectMembers, projects, tickets, users, type Priority } from '../db/schema';

export function priorityRank(priority: Priority): number {
  return PRIORITIES.indexOf(priority);
}

/** The id of the project with this key, only when the current user may see it (NULL otherwise). */
export function visibleProjectId(me: SQL, key: string): SQL {
  return sql`(select ${projects.id} from ${projects} where ${projects.key} = ${key} and ${canSeeProject(me, projects.id)})`;
}

export function ticketRef(me: SQL, key: string, number: number): SQL {
  return and(eq(tickets.projectId, visibleProjectId(me, key)), eq(tickets.number, number))!;
}

export const userName = (id: SQLWrapper) =>
  sql<string | null>`(select ${users.name} from ${users} where ${users.id} = ${id})`;

export function membersOf(db: Db, me: SQL, key: string) {
  return members(db, me, { key });
}

// In the modal, the forms and every ticket write: its SQL is built once (db/cached).
const members = cached('project.members', (db, me, v: { key: string }) =>
  db
    .select({ id: users.id, name: users.name })
    .from(projectMembers)
    .innerJoin(users, eq(users.id, projectMembers.userId))
    .where(and(eq(projectMembers.projectId, visibleProjectId(me, v.key)), isNull(users.disabledAt)))
    .orderBy(asc(users.name)),
);
export type Member = { id: string; name: string };
