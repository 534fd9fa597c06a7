/** The project service's conditional writes on real libSQL: the same statements the Worker batches on D1. */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { comments, projectMembers, projects, tickets, users, type Role } from '../../src/db/schema';
import { runPlan } from '../../src/db/plan';
import { addMember, createProject, deleteProject } from '../../src/projects/service';
import { sessionMe, useLibsqlDb } from './helpers';

describe('project service on libSQL', () => {
  const { db } = useLibsqlDb();

  async function meFor(role: Role) {
    const now = Date.now();
    const id = crypto.randomUUID();
    await db
      .insert(users)
      .values({ id, email: `${id}@example.com`, name: role, role, passwordHash: 'x', createdAt: now });
    return { id, me: await sessionMe(db, id, now) };
  }

  it('creates a project with its creator as member, and does nothing for a taken key or a member', async () => {
    const manager = await meFor('MANAGER');
    const member = await meFor('MEMBER');
    const input = { name: 'Lib', key: 'LIBS', description: '' };
    const first = crypto.randomUUID();
    const created = await runPlan(
      db,
      createProject(input, { id: first, now: 1, formKey: crypto.randomUUID() }),
      manager.me,
    );
    expect(created).toEqual({ ok: true, key: 'LIBS' });
    const members = await db.select().from(projectMembers).where(eq(projectMembers.projectId, first));
    expect(members.map((m) => m.userId)).toEqual([manager.id]);

    const duplicate = await runPlan(
      db,
      createProject({ ...input, name: 'Other' }, { id: crypto.randomUUID(), now: 2, formKey: crypto.randomUUID() }),
      manager.me,
    );
    expect(duplicate.ok).toBe(false);
    const refused = await runPlan(
      db,
      createProject({ ...input, key: 'MEMB' }, { id: crypto.randomUUID(), now: 3, formKey: crypto.randomUUID() }),
      member.me,
    );
    expect(refused.ok).toBe(false);
    expect(await db.select({ key: projects.key }).from(projects)).toEqual([{ key: 'LIBS' }]);
  });

  it('adds a member with the delivery row, then deletes the project and everything in it', async () => {
    const manager = await meFor('MANAGER');
    const other = await meFor('MEMBER');
    const projectId = crypto.randomUUID();
    await runPlan(
      db,
      createProject(
        { name: 'Gone', key: 'GONE', description: '' },
        { id: projectId, now: 1, formKey: crypto.randomUUID() },
      ),
      manager.me,
    );
    const deliveryId = crypto.randomUUID();
    const added = await runPlan(db, addMember('GONE', other.id, { deliveryId, now: 2 }), manager.me);
    expect(added.mail).toMatchObject({ type: 'added_to_project', deliveryId });
    expect(added.members.map((m) => m.userId).sort()).toEqual([manager.id, other.id].sort());

    const ticketId = crypto.randomUUID();
    await db.insert(tickets).values({ id: ticketId, projectId, number: 1, title: 't', createdAt: 1, updatedAt: 1 });
    await db.insert(comments).values({ id: crypto.randomUUID(), ticketId, body: 'c', createdAt: 1 });

    await runPlan(db, deleteProject('GONE'), other.me);
    expect(await db.select().from(projects).where(eq(projects.id, projectId))).toHaveLength(1);

    await runPlan(db, deleteProject('GONE'), manager.me);
    expect(await db.select().from(projects).where(eq(projects.id, projectId))).toEqual([]);
    expect(await db.select().from(tickets).where(eq(tickets.projectId, projectId))).toEqual([]);
    expect(await db.select().from(comments).where(eq(comments.ticketId, ticketId))).toEqual([]);
    expect(await db.select().from(projectMembers).where(eq(projectMembers.projectId, projectId))).toEqual([]);
  });
});
