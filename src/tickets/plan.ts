/**
 * @module tickets/plan — how ticket operations meet the one-round-trip budget. A plan's `build(me)` gives the statements
 * (run inside `authenticate()`, with `me` the current-user subquery, so the session check and the work are one batch)
 * and `read(results)` turns the batch's answer into a value. Also the SQL pieces every plan shares.
 */
import { and, asc, eq, isNull, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { BatchItem, BatchResponse } from 'drizzle-orm/batch';
import { canSeeProject } from '../accounts/permissions';
import type { Db } from '../db/client';
import { PRIORITIES, projectMembers, projects, tickets, users, type Priority } from '../db/schema';

export type Statements = readonly [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]];

export interface Plan<T extends Statements, R> {
  build: (me: SQL) => T;
  read: (results: BatchResponse<T>) => R;
}

export function plan<const T extends Statements, R>(build: (me: SQL) => T, read: (results: BatchResponse<T>) => R) {
  return { build, read } satisfies Plan<T, R>;
}

/** Runs a plan on its own (the libSQL tests, scripts); routes run `build` inside `authenticate()` instead. */
export async function runPlan<T extends Statements, R>(db: Db, p: Plan<T, R>, me: SQL): Promise<R> {
  return p.read((await db.batch(p.build(me) as unknown as [BatchItem<'sqlite'>])) as unknown as BatchResponse<T>);
}

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
  return db
    .select({ id: users.id, name: users.name })
    .from(projectMembers)
    .innerJoin(users, eq(users.id, projectMembers.userId))
    .where(and(eq(projectMembers.projectId, visibleProjectId(me, key)), isNull(users.disabledAt)))
    .orderBy(asc(users.name));
}
export type Member = { id: string; name: string };
