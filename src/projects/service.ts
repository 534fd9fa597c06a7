/**
 * @module projects/service — dashboard reads, project create/edit/archive/delete and membership, as plans. Every
 * statement carries its permission in SQL (`me`, the current-user subquery), so a user who may not do something
 * changes nothing even if a route forgot a check, and the route's batch stays one round trip.
 */
import { and, asc, eq, inArray, isNotNull, isNull, not, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { dialectOf } from '../db/dialects';
import { claimedBy, claimFormKey, resultOfKey } from '../db/form-keys';
import { plan, type Statement } from '../db/plan';
import { insertSelectFields } from '../db/insert-select';
import {
  MANAGER,
  comments,
  invitations,
  mailDeliveries,
  projectMembers,
  projects,
  ticketEvents,
  tickets,
  users,
  STATUS_COUNTS,
  STATUSES,
  type Project,
  type StatusCounts,
} from '../db/schema';
import { isMemberOf, meIsManager } from '../auth/permissions';
import type { MailMessage } from '../mail/messages';
import { visibleProjectByKey } from './queries';
import type { CreateProjectInput, EditProjectInput } from './schemas';

/** The admin list is for small teams; past this many projects it says so instead of growing without bound. */
export const ALL_PROJECTS_LIMIT = 500;
/** Candidates in the "Add people" select. */
export const CANDIDATES_LIMIT = 500;
const EXCERPT_CHARS = 240;

/** What a dashboard card needs; the description is cut in SQL so long texts never leave the database. */
const cardFields = {
  id: projects.id,
  key: projects.key,
  name: projects.name,
  excerpt: sql<string>`substr(${projects.description}, 1, ${EXCERPT_CHARS})`.as('excerpt'),
  archivedAt: projects.archivedAt,
  openCount: projects.openCount,
  inProgressCount: projects.inProgressCount,
  reviewCount: projects.reviewCount,
  doneCount: projects.doneCount,
};

export type ProjectCard = StatusCounts & {
  id: string;
  key: string;
  name: string;
  excerpt: string;
  archivedAt: number | null;
};

export function ticketTotal(p: StatusCounts): number {
  return STATUSES.reduce((sum, status) => sum + p[STATUS_COUNTS[status]], 0);
}

/** The projects the current user is a member of (archived ones included; the view puts them aside). */
function myProjects(db: Db, me: SQL) {
  return db
    .select(cardFields)
    .from(projects)
    .where(
      inArray(
        projects.id,
        db.select({ projectId: projectMembers.projectId }).from(projectMembers).where(eq(projectMembers.userId, me)),
      ),
    )
    .orderBy(asc(projects.name), asc(projects.key));
}

/** Every project, for managers only: the condition yields no rows for anyone else. */
function allProjects(db: Db, me: SQL) {
  return db
    .select(cardFields)
    .from(projects)
    .where(meIsManager(me))
    .orderBy(asc(projects.name), asc(projects.key))
    .limit(ALL_PROJECTS_LIMIT + 1);
}

/** The dashboard: the current user's projects, and every project for a manager. */
export function listProjects() {
  return plan(
    (db, me) => [myProjects(db, me), allProjects(db, me)] as const,
    ([mine, all]) => ({ mine, all }),
  );
}

/** SQL: the id of the project with this key, only when the current user is a manager (else NULL). */
function managedProjectId(me: SQL, key: string): SQL {
  return sql`(select ${projects.id} from ${projects} where ${projects.key} = ${key} and ${meIsManager(me)})`;
}

/**
 * Creating a project: the project (only if the current user is a manager; a taken key makes the insert do
 * nothing instead of failing the batch), the creator's membership (only if the project row is there), then a read
 * that tells the route what happened.
 */
export function createProject(input: CreateProjectInput, ids: { id: string; now: number; formKey: string }) {
  const { id, now, formKey } = ids;
  const project = insertSelectFields(projects, {
    id,
    key: input.key,
    name: input.name,
    description: input.description,
    createdBy: users.id,
    createdAt: now,
  });
  const membership = insertSelectFields(projectMembers, {
    projectId: projects.id,
    userId: projects.createdBy,
    addedAt: now,
  });
  return plan(
    (db, me) =>
      [
        // A taken project key leaves the form's key unclaimed, so the corrected form can still create.
        claimFormKey(
          db,
          me,
          { key: formKey, result: id, now },
          users,
          and(
            eq(users.id, me),
            eq(users.role, MANAGER),
            sql`not exists (select 1 from ${projects} where ${projects.key} = ${input.key})`,
          ),
        ),
        db
          .insert(projects)
          .select(
            db
              .select(project)
              .from(users)
              .where(and(eq(users.id, me), eq(users.role, MANAGER), claimedBy(me, formKey, id))) as never,
          )
          .onConflictDoNothing(),
        db
          .insert(projectMembers)
          .select(db.select(membership).from(projects).where(eq(projects.id, id)) as never)
          .onConflictDoNothing(),
        // This submit's project, or the one the first submit of the same form made.
        db
          .select({ createdKey: projects.key })
          .from(projects)
          .where(eq(projects.id, dialectOf(db).textAsId(resultOfKey(me, formKey))))
          .limit(1),
      ] as const,
    ([, , , [created]]): CreateOutcome =>
      created ? { ok: true, key: created.createdKey } : { ok: false, reason: 'not-created' },
  );
}

/** Not created: the user is not a manager (the route tells that first) or the key is taken. */
export type CreateOutcome = { ok: true; key: string } | { ok: false; reason: 'not-created' };

/** The project as the current user sees it (null: a 404), then `write` when `write` is given. */
function onVisibleProject(key: string, write?: (db: Db, me: SQL) => Statement) {
  return plan(
    (db, me) => [visibleProjectByKey(db, me, key), ...(write ? [write(db, me)] : [])] as const,
    ([[project]]) => project ?? null,
  );
}

/** Editing the name and description (managers only). */
export function updateProject(key: string, input: EditProjectInput) {
  return onVisibleProject(key, (db, me) =>
    db
      .update(projects)
      .set({ name: input.name, description: input.description })
      .where(and(eq(projects.key, key), meIsManager(me))),
  );
}

/** Archiving keeps the first archive time; unarchiving clears it (managers only). */
export function setProjectArchived(key: string, archived: boolean, now: number) {
  return onVisibleProject(key, (db, me) =>
    db
      .update(projects)
      .set({ archivedAt: archived ? now : null })
      .where(
        and(
          eq(projects.key, key),
          meIsManager(me),
          archived ? isNull(projects.archivedAt) : isNotNull(projects.archivedAt),
        ),
      ),
  );
}

/**
 * Deleting a project and everything in it. The foreign keys cascade on D1, but the children are deleted
 * explicitly as well so the result does not depend on a libSQL server's `foreign_keys` setting.
 */
export function deleteProject(key: string) {
  return plan(
    (db, me) => {
      const target = managedProjectId(me, key);
      const ticketIds = db.select({ id: tickets.id }).from(tickets).where(eq(tickets.projectId, target));
      return [
        visibleProjectByKey(db, me, key),
        db.delete(comments).where(inArray(comments.ticketId, ticketIds)),
        db.delete(ticketEvents).where(inArray(ticketEvents.ticketId, ticketIds)),
        db.delete(tickets).where(eq(tickets.projectId, target)),
        db.delete(projectMembers).where(eq(projectMembers.projectId, target)),
        db.update(invitations).set({ projectId: null }).where(eq(invitations.projectId, target)),
        db.delete(projects).where(eq(projects.id, target)),
      ] as const;
    },
    ([[project]]) => project ?? null,
  );
}

/** Members of the project (managers only), with distinct column names so the join survives D1's batch rows. */
function membersOf(db: Db, me: SQL, key: string) {
  return db
    .select({
      userId: users.id,
      userName: users.name,
      userEmail: users.email,
      userAvatarKey: users.avatarKey,
      addedAt: projectMembers.addedAt,
    })
    .from(projectMembers)
    .innerJoin(users, eq(users.id, projectMembers.userId))
    .where(eq(projectMembers.projectId, managedProjectId(me, key)))
    .orderBy(asc(users.name), asc(users.email));
}

/** Active users who are not members yet (managers only). */
function candidatesFor(db: Db, me: SQL, key: string) {
  const target = managedProjectId(me, key);
  return db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(
      and(
        isNull(users.disabledAt),
        sql`${target} is not null`,
        sql`${users.id} not in (select ${projectMembers.userId} from ${projectMembers} where ${projectMembers.projectId} = ${target})`,
      ),
    )
    .orderBy(asc(users.name), asc(users.email))
    .limit(CANDIDATES_LIMIT);
}

export type MemberRow = {
  userId: string;
  userName: string;
  userEmail: string;
  userAvatarKey: string | null;
  addedAt: number;
};
export type Candidate = { id: string; name: string; email: string };

export interface MembersView {
  project: Project | null;
  members: MemberRow[];
  candidates: Candidate[];
}

/** The members modal: the project, its members and who may be added (managers only); `writes` come first. */
function membersView(key: string, writes: (db: Db, me: SQL) => Statement[] = () => []) {
  return plan(
    (db, me) =>
      [
        visibleProjectByKey(db, me, key),
        ...writes(db, me),
        membersOf(db, me, key),
        candidatesFor(db, me, key),
      ] as const,
    (results): MembersView => {
      const [[project]] = results;
      const [members, candidates] = results.slice(-2) as [MemberRow[], Candidate[]];
      return { project: project ?? null, members, candidates };
    },
  );
}

export function listMembers(key: string) {
  return membersView(key);
}

/**
 * Adding a member, plus the "added to project" email's delivery row — written only when the person really joins
 * now (not already a member, active, and not the manager adding themself). The read of the delivery row tells the
 * route whether to put the message on the queue.
 */
export function addMember(key: string, userId: string, ids: { deliveryId: string; now: number }) {
  const { deliveryId } = ids;
  const view = membersView(key, (db, me) => addMemberWrites(db, me, key, userId, ids));
  return plan(
    (db, me) =>
      [
        ...view.build(db, me),
        db
          .select({ deliveryId: mailDeliveries.id })
          .from(mailDeliveries)
          .where(eq(mailDeliveries.id, deliveryId))
          .limit(1),
      ] as const,
    (results) => {
      const [delivered] = results.slice(-1) as [{ deliveryId: string }[]];
      const out = view.read(results.slice(0, -1));
      const added = out.members.some((m) => m.userId === userId);
      const mail =
        added && out.project && delivered.length > 0 ? addedToProjectMessage(userId, out.project.id, deliveryId) : null;
      return { ...out, added, mail };
    },
  );
}

function addMemberWrites(
  db: Db,
  me: SQL,
  key: string,
  userId: string,
  ids: { deliveryId: string; now: number },
): Statement[] {
  const target = managedProjectId(me, key);
  const { deliveryId, now } = ids;
  const eligible = and(eq(users.id, userId), isNull(users.disabledAt), sql`${target} is not null`);
  const delivery = insertSelectFields(mailDeliveries, {
    id: deliveryId,
    kind: 'added_to_project',
    refId: users.id,
    recipient: users.email,
    status: 'QUEUED',
    createdAt: now,
    // The message the outbox sweep would send again (see mail/producer's deliveryMessage).
    message: dialectOf(db).jsonObject({ type: 'added_to_project', id: userId, projectId: target }),
  });
  const membership = insertSelectFields(projectMembers, { projectId: target, userId: users.id, addedAt: now });
  return [
    db.insert(mailDeliveries).select(
      db
        .select(delivery)
        .from(users)
        .where(and(eligible, sql`${users.id} is distinct from ${me}`, not(isMemberOf(userId, target)))) as never,
    ),
    db
      .insert(projectMembers)
      .select(db.select(membership).from(users).where(eligible) as never)
      .onConflictDoNothing(),
  ];
}

function addedToProjectMessage(userId: string, projectId: string, deliveryId: string): MailMessage {
  return { type: 'added_to_project', id: userId, projectId, deliveryId };
}

/** Removing a member; their next request no longer finds the project (visibility is checked in SQL each time). */
export function removeMember(key: string, userId: string) {
  return membersView(key, (db, me) => [
    db
      .delete(projectMembers)
      .where(and(eq(projectMembers.projectId, managedProjectId(me, key)), eq(projectMembers.userId, userId))),
  ]);
}
