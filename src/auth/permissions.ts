/**
 * @module auth/permissions — the one authorization module (section 4 of the design). Deny by default.
 * Checks on a loaded user are plain functions; checks that must run inside a request's batch are SQL conditions
 * built on `me`, the current-user subquery from `authenticate()`.
 */
import { and, eq, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { MANAGER, projectMembers, users, type Ticket, type User } from '../db/schema';

export function isManager(user: Pick<User, 'role'>): boolean {
  return user.role === MANAGER;
}

/** Create, edit, archive and delete projects; manage members. */
export const canManageProjects = isManager;
/** Invite people; list, resend and revoke invitations. */
export const canInvite = isManager;

/** A manager, or the ticket's reporter. */
export function canDeleteTicket(user: Pick<User, 'id' | 'role'>, ticket: Pick<Ticket, 'reporterId'>): boolean {
  return isManager(user) || ticket.reporterId === user.id;
}

/** SQL: the current user is a manager. */
export function meIsManager(me: SQL): SQL {
  return sql`exists (select 1 from ${users} where ${users.id} = ${me} and ${users.role} = ${MANAGER})`;
}

/** SQL: the current user is a member of the project whose id is `projectId` (a column or a value). */
export function meIsMember(me: SQL, projectId: SQLWrapper | string): SQL {
  return isMemberOf(me, projectId);
}

/**
 * The one rule for seeing a project (and its tickets, board and comments): a manager or a member. Anyone else gets a
 * 404, so a project's existence is not revealed. `canSeeProject` is it in SQL for the current user;
 * `userCanSeeProject` for the user of a `users` row in the query (notification recipients); `mayUserSeeProject`
 * for a loaded user whose membership is known.
 */
export function canSeeProject(me: SQL, projectId: SQLWrapper | string): SQL {
  return or(meIsManager(me), meIsMember(me, projectId))!;
}

export function userCanSeeProject(projectId: SQLWrapper | string): SQL {
  return or(eq(users.role, MANAGER), isMemberOf(users.id, projectId))!;
}

export function mayUserSeeProject(user: Pick<User, 'role'>, isMember: boolean): boolean {
  return isManager(user) || isMember;
}

/** SQL: `userId` is a member of the project (for assignees). */
export function isMemberOf(userId: SQLWrapper | string, projectId: SQLWrapper | string): SQL {
  return sql`exists (select 1 from ${projectMembers} where ${projectMembers.projectId} = ${projectId} and ${projectMembers.userId} = ${userId})`;
}

/**
 * SQL: the current user may delete the ticket: a manager, or its reporter while still a member of the project
 * (the batch form of `canDeleteTicket`, for `DELETE ... WHERE`).
 */
export function meCanDeleteTicket(me: SQL, projectId: SQLWrapper | string, reporterId: SQLWrapper | string): SQL {
  return or(meIsManager(me), and(meIsMember(me, projectId), sql`${reporterId} = ${me}`))!;
}
