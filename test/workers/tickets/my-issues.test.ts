/** My issues: the tickets assigned to me or reported by me, in the projects I can see, filtered and paged. */
import { describe, expect, it } from 'vitest';
import { projectMembers, tickets, type Project, type User } from '../../../src/db/schema';
import { and, eq } from 'drizzle-orm';
import { makeProject, member } from '../fixtures';
import { roundTrips, send, signedIn, testDb } from '../helpers';

let counter = 0;
async function ticket(
  project: Project,
  fields: { reporter: User; assignee?: User | null; title: string } & Partial<typeof tickets.$inferInsert>,
) {
  const { reporter, assignee, ...rest } = fields;
  counter++;
  await testDb()
    .insert(tickets)
    .values({
      id: crypto.randomUUID(),
      projectId: project.id,
      number: counter,
      reporterId: reporter.id,
      assigneeId: assignee?.id ?? null,
      createdAt: Date.now() - 100_000 + counter,
      updatedAt: Date.now() - 100_000 + counter,
      ...rest,
    });
}

function titles(html: string): string[] {
  return [...html.matchAll(/hx-get="\/p\/[A-Z]+\/t\/\d+">([^<]*)<\/a>/g)].map((m) => m[1]!);
}

async function world() {
  const one = await makeProject({ name: 'One' });
  const two = await makeProject({ name: 'Two' });
  const me = await member(one, { name: 'Me' });
  await testDb().insert(projectMembers).values({ projectId: two.id, userId: me.user.id, addedAt: Date.now() });
  const other = await member(one, { name: 'Other' });
  await testDb().insert(projectMembers).values({ projectId: two.id, userId: other.user.id, addedAt: Date.now() });
  const left = await makeProject({ name: 'Left' });
  await ticket(one, { reporter: other.user, assignee: me.user, title: 'Assigned to me in One' });
  await ticket(two, { reporter: me.user, assignee: other.user, title: 'Reported by me in Two', status: 'DONE' });
  await ticket(two, { reporter: me.user, assignee: me.user, title: 'Both in Two', priority: 'HIGH', priorityRank: 2 });
  await ticket(one, { reporter: other.user, assignee: other.user, title: 'Not mine' });
  // A project I am not (or no longer) a member of: my old ticket there is not shown.
  await ticket(left, { reporter: me.user, assignee: me.user, title: 'In a project I left' });
  const list = async (qs = '') => {
    const res = await send(`/my/tickets${qs}`, { cookie: me.cookie, htmx: true });
    expect(res.status).toBe(200);
    expect(roundTrips(res)).toBe(1);
    return titles(await res.text());
  };
  return { one, two, me, other, list };
}

describe('My issues', () => {
  it('lists my assigned and reported tickets across my projects, newest first, in one round trip', async () => {
    const { me, one, two } = await world();
    const res = await send('/my', { cookie: me.cookie });
    expect(res.status).toBe(200);
    expect(roundTrips(res)).toBe(1);
    const html = await res.text();
    expect(html).toContain('<h1>My issues</h1>');
    expect(html).toContain('<a href="/my">My issues</a>');
    expect(titles(html)).toEqual(['Both in Two', 'Reported by me in Two', 'Assigned to me in One']);
    expect(html).toContain(`hx-get="/p/${one.key}/t/`);
    expect(html).toContain(`<td>${two.key}-`);
  });

  it('filters by whose, status, priority and words; drops unknown values', async () => {
    const { list } = await world();
    expect(await list('?role=assigned')).toEqual(['Both in Two', 'Assigned to me in One']);
    expect(await list('?role=reported')).toEqual(['Both in Two', 'Reported by me in Two']);
    expect(await list('?status=DONE')).toEqual(['Reported by me in Two']);
    expect(await list('?priority=HIGH')).toEqual(['Both in Two']);
    expect(await list('?q=two%20REPORTED')).toEqual(['Reported by me in Two']);
    expect(await list('?sort=oldest')).toEqual(['Assigned to me in One', 'Reported by me in Two', 'Both in Two']);
    expect(await list('?role=everyone&status=LOST&sort=sideways&after=%21')).toHaveLength(3);
  });

  it('shows a manager only their own tickets, and nobody else’s tickets to anyone', async () => {
    const { one } = await world();
    const manager = await signedIn({ role: 'MANAGER' });
    await ticket(one, { reporter: manager.user, title: 'Filed by the manager' });
    const html = await (await send('/my/tickets', { cookie: manager.cookie, htmx: true })).text();
    expect(titles(html)).toEqual(['Filed by the manager']);
    const stranger = await signedIn();
    const empty = await (await send('/my/tickets', { cookie: stranger.cookie, htmx: true })).text();
    expect(titles(empty)).toEqual([]);
    expect(empty).toContain('No tickets here.');
  });

  it('pages with a keyset cursor like a project list', async () => {
    const project = await makeProject();
    const me = await member(project);
    for (let i = 0; i < 53; i++) await ticket(project, { reporter: me.user, title: `Mine ${i}` });
    const first = await (await send('/my/tickets?role=reported', { cookie: me.cookie, htmx: true })).text();
    const page1 = titles(first);
    expect(page1).toHaveLength(50);
    const next = /hx-get="(\/my\/tickets\?[^"]*after=[^"]+)"/.exec(first)![1]!.replace(/&amp;/g, '&');
    expect(next).toContain('role=reported');
    const res = await send(next, { cookie: me.cookie, htmx: true });
    expect(roundTrips(res)).toBe(1);
    const page2 = titles(await res.text());
    expect(page2).toHaveLength(3);
    expect(new Set([...page1, ...page2]).size).toBe(53);
  });

  it('puts new filters in the page URL, and needs a session', async () => {
    const { me } = await world();
    const res = await send('/my/tickets?status=DONE&q=', {
      cookie: me.cookie,
      htmx: true,
      headers: { 'HX-Current-URL': 'http://hticket.test/my' },
    });
    expect(res.headers.get('HX-Push-Url')).toBe('/my?status=DONE');
    expect((await send('/my')).status).toBe(302);
    expect((await send('/my/tickets', { htmx: true })).status).not.toBe(200);
  });

  it('stops showing a ticket once I leave its project', async () => {
    const { one, me, list } = await world();
    await testDb()
      .delete(projectMembers)
      .where(and(eq(projectMembers.projectId, one.id), eq(projectMembers.userId, me.user.id)));
    expect(await list()).toEqual(['Both in Two', 'Reported by me in Two']);
  });
});
