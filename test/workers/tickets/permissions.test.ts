import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { comments, ticketEvents, tickets } from '../../../src/db/schema';
import { makeProject, member } from '../fixtures';
import { roundTrips, send, signedIn, testDb } from '../helpers';
import { counters, fileTicket, readProject, ticketsOf } from './fixtures';

/** A project with one ticket, and a signed-in user who is not in it. */
async function strangerSetup() {
  const project = await makeProject();
  const owner = await member(project);
  await fileTicket(project, owner.cookie, { title: 'Private matter', description: 'secret' });
  const stranger = await signedIn();
  return { project, owner, stranger };
}

async function snapshot(projectId: string) {
  const db = testDb();
  const rows = await ticketsOf(projectId);
  const ids = rows.map((r) => r.id);
  const commentCount = (await db.select().from(comments)).filter((c) => ids.includes(c.ticketId)).length;
  const eventCount = (await db.select().from(ticketEvents)).filter((e) => ids.includes(e.ticketId)).length;
  return { rows, commentCount, eventCount, project: await readProject(projectId) };
}

describe('permissions', () => {
  const reads = (key: string) => [
    `/p/${key}`,
    `/p/${key}/tickets`,
    `/p/${key}/board`,
    `/p/${key}/t/new`,
    `/p/${key}/t/1`,
    `/p/${key}/t/1/edit`,
    `/p/${key}/t/1/delete`,
  ];

  it('answers 404 to a non-member for every page and partial, by URL and by htmx', async () => {
    const { project, stranger } = await strangerSetup();
    for (const path of reads(project.key)) {
      for (const htmx of [false, true]) {
        const res = await send(path, { cookie: stranger.cookie, htmx });
        expect(res.status, `${path} htmx=${htmx}`).toBe(404);
        const html = await res.text();
        expect(html).not.toContain('Private matter');
        expect(html).not.toContain(project.name);
      }
    }
  });

  it('changes nothing when a non-member writes by URL or by htmx', async () => {
    const { project, stranger } = await strangerSetup();
    const before = await snapshot(project.id);
    const writes: [string, Record<string, string>][] = [
      [`/p/${project.key}/t`, { title: 'Intruder' }],
      [`/p/${project.key}/t/1`, { title: 'Defaced', status: 'DONE' }],
      [`/p/${project.key}/t/1/status`, { status: 'DONE' }],
      [`/p/${project.key}/t/1/comments`, { body: 'hello from outside' }],
      [`/p/${project.key}/t/1/delete`, {}],
      [`/p/${project.key}/preview`, { text: 'hi' }],
    ];
    for (const [path, form] of writes) {
      for (const htmx of [false, true]) {
        const res = await send(path, { cookie: stranger.cookie, htmx, form });
        expect(res.status, `${path} htmx=${htmx}`).toBe(404);
      }
    }
    expect(await snapshot(project.id)).toEqual(before);
  });

  it('lets a manager who is not a member see and work on every project', async () => {
    const { project } = await strangerSetup();
    const manager = await signedIn({ role: 'MANAGER' });
    expect((await send(`/p/${project.key}/t/1`, { cookie: manager.cookie, htmx: true })).status).toBe(200);
    const res = await send(`/p/${project.key}/t/1/status`, {
      cookie: manager.cookie,
      htmx: true,
      form: { status: 'DONE' },
    });
    expect(res.status).toBe(204);
  });

  it('refuses with 403 a member deleting someone else’s ticket, and keeps it', async () => {
    const project = await makeProject();
    const reporter = await member(project);
    const colleague = await member(project);
    await fileTicket(project, reporter.cookie, { title: 'Not yours' });
    const confirm = await send(`/p/${project.key}/t/1/delete`, { cookie: colleague.cookie, htmx: true });
    expect(confirm.status).toBe(403);
    const res = await send(`/p/${project.key}/t/1/delete`, { cookie: colleague.cookie, htmx: true, form: {} });
    expect(res.status).toBe(403);
    expect(roundTrips(res)).toBe(1);
    expect(await ticketsOf(project.id)).toHaveLength(1);
    expect(counters(await readProject(project.id))).toEqual({ open: 1, inProgress: 0, review: 0, done: 0 });
    // The view offers no Delete button to them.
    const view = await (await send(`/p/${project.key}/t/1`, { cookie: colleague.cookie, htmx: true })).text();
    expect(view).not.toContain(`/p/${project.key}/t/1/delete`);
  });

  it('lets a manager delete someone else’s ticket', async () => {
    const project = await makeProject();
    const reporter = await member(project);
    const manager = await member(project, { role: 'MANAGER' });
    await fileTicket(project, reporter.cookie);
    const res = await send(`/p/${project.key}/t/1/delete`, { cookie: manager.cookie, htmx: true, form: {} });
    expect(res.status).toBe(204);
    expect(await ticketsOf(project.id)).toHaveLength(0);
  });

  it('stops a member who was removed from the project at once', async () => {
    const project = await makeProject();
    const { user, cookie } = await member(project);
    await fileTicket(project, cookie);
    const { projectMembers } = await import('../../../src/db/schema');
    await testDb().delete(projectMembers).where(eq(projectMembers.userId, user.id));
    expect((await send(`/p/${project.key}/t/1`, { cookie, htmx: true })).status).toBe(404);
    const res = await send(`/p/${project.key}/t/1`, { cookie, htmx: true, form: { title: 'Late edit' } });
    expect(res.status).toBe(404);
    expect((await testDb().select().from(tickets).where(eq(tickets.projectId, project.id)))[0]!.title).toBe('A ticket');
  });
});
