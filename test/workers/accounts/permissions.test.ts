import { sql, type SQL } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  canDeleteTicket,
  canInvite,
  canManageProjects,
  canSeeProject,
  isMemberOf,
  meCanDeleteTicket,
  meIsManager,
} from '../../../src/auth/permissions';
import { projectMembers, projects, type User } from '../../../src/db/schema';
import { NOBODY } from '../../../src/db/plan';
import { createUser, testDb } from '../helpers';

/** Evaluates an authorization condition for `userId` the way a route's batch would. */
async function holds(condition: (me: SQL) => SQL, userId: string): Promise<boolean> {
  const me = sql`${userId}`;
  const [row] = await testDb()
    .select({ ok: sql<number>`case when ${condition(me)} then 1 else 0 end` })
    .from(sql`(select 1) as one`);
  return row!.ok === 1;
}

let keys = 0;

async function world() {
  const db = testDb();
  const manager = await createUser({ role: 'MANAGER' });
  const member = await createUser();
  const reporter = await createUser();
  const outsider = await createUser();
  const projectId = crypto.randomUUID();
  keys++;
  const key = `PK${String.fromCharCode(65 + Math.floor(keys / 26), 65 + (keys % 26))}`;
  await db.insert(projects).values({ id: projectId, key, name: 'Apollo', createdAt: Date.now() });
  await db.insert(projectMembers).values([
    { projectId, userId: member.id, addedAt: Date.now() },
    { projectId, userId: reporter.id, addedAt: Date.now() },
  ]);
  return { manager, member, reporter, outsider, projectId };
}

describe('who may do what (section 4)', () => {
  it('lets only managers manage projects and invite people', async () => {
    const { manager, member, outsider } = await world();
    for (const check of [canManageProjects, canInvite]) {
      expect(check(manager)).toBe(true);
      expect(check(member)).toBe(false);
      expect(check(outsider)).toBe(false);
    }
    expect(await holds(meIsManager, manager.id)).toBe(true);
    expect(await holds(meIsManager, member.id)).toBe(false);
  });

  it('shows a project to managers and members, and to nobody else', async () => {
    const { manager, member, outsider, projectId } = await world();
    expect(await holds((me) => canSeeProject(me, projectId), manager.id)).toBe(true);
    expect(await holds((me) => canSeeProject(me, projectId), member.id)).toBe(true);
    expect(await holds((me) => canSeeProject(me, projectId), outsider.id)).toBe(false);
  });

  it('denies everything when there is no current user (a bad session)', async () => {
    const { projectId } = await world();
    const nobody = (condition: (me: SQL) => SQL) =>
      testDb()
        .select({ ok: sql<number>`case when ${condition(NOBODY)} then 1 else 0 end` })
        .from(sql`(select 1) as one`);
    expect((await nobody((me) => canSeeProject(me, projectId)))[0]!.ok).toBe(0);
    expect((await nobody(meIsManager))[0]!.ok).toBe(0);
    expect((await nobody((me) => meCanDeleteTicket(me, projectId, sql`null`)))[0]!.ok).toBe(0);
  });

  it('lets managers and the reporter delete a ticket, not other members', async () => {
    const { manager, member, reporter, outsider, projectId } = await world();
    const ticket = { reporterId: reporter.id };
    const can = (user: User) => canDeleteTicket(user, ticket);
    expect([can(manager), can(reporter), can(member), can(outsider)]).toEqual([true, true, false, false]);
    const sqlCan = (user: User) => holds((me) => meCanDeleteTicket(me, projectId, reporter.id), user.id);
    expect([await sqlCan(manager), await sqlCan(reporter), await sqlCan(member), await sqlCan(outsider)]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('does not let a reporter who left the project delete its tickets', async () => {
    const { outsider, projectId } = await world();
    expect(await holds((me) => meCanDeleteTicket(me, projectId, outsider.id), outsider.id)).toBe(false);
  });

  it('knows who may be assigned: members only', async () => {
    const { member, outsider, projectId } = await world();
    expect(await holds(() => isMemberOf(member.id, projectId), member.id)).toBe(true);
    expect(await holds(() => isMemberOf(outsider.id, projectId), outsider.id)).toBe(false);
  });
});
