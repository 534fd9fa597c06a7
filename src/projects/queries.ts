/** @module projects/queries — project lookups shared by the project and ticket features. */
import { and, eq, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { cached } from '../db/cached';
import { plan } from '../db/plan';
import { projects } from '../db/schema';
import { canSeeProject } from '../auth/permissions';

/** Project keys are 2–6 upper-case letters; anything else is a 404 before any query. */
export const PROJECT_KEY_RE = /^[A-Z]{2,6}$/;

export function isProjectKey(value: string | undefined): value is string {
  return typeof value === 'string' && PROJECT_KEY_RE.test(value);
}

/**
 * The project with this key, only if the current user may see it (a manager or a member): an empty result is a 404,
 * whether the project does not exist or the user is not in it.
 */
export function visibleProjectByKey(db: Db, me: SQL, key: string) {
  return visibleProject(db, me, { key });
}

// In most project and ticket requests: its SQL is built once (db/cached).
const visibleProject = cached('project.visible', (db, me, v: { key: string }) =>
  db
    .select()
    .from(projects)
    .where(and(eq(projects.key, v.key), canSeeProject(me, projects.id)))
    .limit(1),
);

/** The project with this key as the current user sees it, or null (a 404). */
export function findProject(key: string) {
  return plan(
    (db, me) => [visibleProjectByKey(db, me, key)] as const,
    ([[project]]) => project ?? null,
  );
}
