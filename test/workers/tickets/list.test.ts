import { describe, expect, it } from 'vitest';
import { tickets, type Project, type User } from '../../../src/db/schema';
import { makeProject, member } from '../fixtures';
import { roundTrips, send, testDb } from '../helpers';

/** Inserts `count` tickets directly, one millisecond apart (newest has the highest number). */
async function seed(
  project: Project,
  reporter: User,
  count: number,
  extra: (i: number) => Partial<typeof tickets.$inferInsert> = () => ({}),
) {
  const base = Date.now() - count * 1000;
  const rows = Array.from({ length: count }, (_, i) => ({
    id: crypto.randomUUID(),
    projectId: project.id,
    number: i + 1,
    reporterId: reporter.id,
    title: `Seeded ticket ${i + 1}`,
    createdAt: base + i,
    updatedAt: base + i,
    ...extra(i),
  }));
  // D1 binds at most 100 variables per statement: 7 rows of 13 columns at a time.
  for (let i = 0; i < rows.length; i += 6)
    await testDb()
      .insert(tickets)
      .values(rows.slice(i, i + 6));
  return rows;
}

function titles(html: string): string[] {
  return [...html.matchAll(/hx-get="\/p\/[A-Z]+\/t\/\d+">([^<]*)<\/a>/g)].map((m) => m[1]!);
}

function nextLink(html: string): string | null {
  const m = /hx-get="(\/p\/[A-Z]+\/tickets\?[^"]*after=[^"]+)"/.exec(html);
  return m ? m[1]!.replace(/&amp;/g, '&') : null;
}

describe('ticket list', () => {
  it('renders the project page with header, tabs, filters and rows in one round trip', async () => {
    const project = await makeProject({ name: 'Nexus' });
    const { user, cookie } = await member(project);
    await seed(project, user, 3);
    const res = await send(`/p/${project.key}`, { cookie });
    expect(res.status).toBe(200);
    expect(roundTrips(res)).toBe(1);
    const html = await res.text();
    expect(html).toContain('<h1>Nexus</h1>');
    expect(html).toContain(`hx-get="/p/${project.key}/t/new" hx-target="#dialog"`);
    expect(html).toContain(`href="/p/${project.key}/board"`);
    expect(html).toContain(`hx-get="/p/${project.key}/tickets"`);
    // It refreshes after a ticket changes, and after a rename (names are in its rows).
    expect(html).toContain('hx-trigger="ticketListUpdated from:body, profileUpdated from:body"');
    expect(titles(html)).toEqual(['Seeded ticket 3', 'Seeded ticket 2', 'Seeded ticket 1']);
    // Members see no manager buttons.
    expect(html).not.toContain(`/p/${project.key}/members`);
  });

  it('shows the project management buttons to managers', async () => {
    const project = await makeProject();
    const { cookie } = await member(project, { role: 'MANAGER' });
    const html = await (await send(`/p/${project.key}`, { cookie })).text();
    for (const path of ['members', 'settings', 'delete']) {
      expect(html).toContain(`hx-get="/p/${project.key}/${path}" hx-target="#dialog"`);
    }
  });

  it('pages with a keyset cursor: 50 rows and Load more, then the last 10, no duplicates', async () => {
    const project = await makeProject();
    const { user, cookie } = await member(project);
    await seed(project, user, 60);
    const first = await send(`/p/${project.key}/tickets`, { cookie, htmx: true });
    expect(first.status).toBe(200);
    expect(roundTrips(first)).toBe(1);
    const firstHtml = await first.text();
    expect(new TextEncoder().encode(firstHtml).byteLength).toBeLessThanOrEqual(12 * 1024);
    const page1 = titles(firstHtml);
    expect(page1).toHaveLength(50);
    expect(page1[0]).toBe('Seeded ticket 60');
    expect(firstHtml).toContain('Load more');
    const next = nextLink(firstHtml);
    expect(next).not.toBeNull();
    const second = await send(next!, { cookie, htmx: true });
    expect(roundTrips(second)).toBe(1);
    const secondHtml = await second.text();
    const page2 = titles(secondHtml);
    expect(page2).toHaveLength(10);
    expect(secondHtml).not.toContain('Load more');
    expect(new Set([...page1, ...page2]).size).toBe(60);
    expect(page2[9]).toBe('Seeded ticket 1');
  });

  it('keeps a 50-row page of long titles under 12 KB', async () => {
    const project = await makeProject();
    const { user, cookie } = await member(project, { name: 'Someone With A Long Name' });
    await seed(project, user, 51, (i) => ({
      title: `A fairly typical ticket title number ${i} here`,
      assigneeId: user.id,
    }));
    const res = await send(`/p/${project.key}/tickets`, { cookie, htmx: true });
    const html = await res.text();
    expect(titles(html)).toHaveLength(50);
    expect(new TextEncoder().encode(html).byteLength).toBeLessThanOrEqual(12 * 1024);
  });

  it('filters by status, priority, assignee (me, nobody, a user) and text', async () => {
    const project = await makeProject();
    const me = await member(project);
    const other = await member(project);
    await seed(
      project,
      me.user,
      6,
      (i) =>
        [
          { title: 'Mine open', assigneeId: me.user.id },
          { title: 'Mine done', assigneeId: me.user.id, status: 'DONE' as const },
          { title: 'Theirs high', assigneeId: other.user.id, priority: 'HIGH' as const, priorityRank: 2 },
          { title: 'Nobody critical', priority: 'CRITICAL' as const, priorityRank: 3 },
          { title: 'Nobody low', priority: 'LOW' as const, priorityRank: 0, description: 'mentions the 100% PRINTER' },
          { title: 'Under_score', description: '' },
        ][i]!,
    );
    const list = async (qs: string) => {
      const res = await send(`/p/${project.key}/tickets?${qs}`, { cookie: me.cookie, htmx: true });
      expect(roundTrips(res)).toBe(1);
      return titles(await res.text()).sort();
    };
    expect(await list('assignee=me')).toEqual(['Mine done', 'Mine open']);
    expect(await list('assignee=none')).toEqual(['Nobody critical', 'Nobody low', 'Under_score']);
    expect(await list(`assignee=${other.user.id}`)).toEqual(['Theirs high']);
    expect(await list('status=DONE')).toEqual(['Mine done']);
    expect(await list('priority=HIGH')).toEqual(['Theirs high']);
    expect(await list('q=printer')).toEqual(['Nobody low']);
    expect(await list('q=100%25')).toEqual(['Nobody low']);
    expect(await list('q=_')).toEqual(['Under_score']);
    expect(await list('q=mine&status=OPEN')).toEqual(['Mine open']);
    // Stale or mistyped values in a bookmark are dropped, not refused.
    expect(await list('status=BOGUS&assignee=zzz&sort=sideways&after=!!')).toHaveLength(6);
  });

  it('searches for a long phrase, up to the 200 characters the box takes', async () => {
    const project = await makeProject();
    const me = await member(project);
    const phrase = 'the invoice printer on the third floor jams whenever someone sends a double-sided job';
    await seed(project, me.user, 2, (i) => [{ title: 'Printer', description: `Since Monday ${phrase}.` }, {}][i]!);
    const search = async (q: string) => {
      const res = await send(`/p/${project.key}/tickets?q=${encodeURIComponent(q)}`, { cookie: me.cookie, htmx: true });
      expect(res.status).toBe(200);
      return titles(await res.text());
    };
    expect(await search(phrase.toUpperCase())).toEqual(['Printer']);
    expect(await search('x'.repeat(200))).toEqual([]);
    expect(await search('é'.repeat(500))).toEqual([]);
  });

  it('sorts by priority, highest first, and pages within that order', async () => {
    const project = await makeProject();
    const { user, cookie } = await member(project);
    const priorities = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
    await seed(project, user, 55, (i) => ({
      priority: priorities[i % 4],
      priorityRank: i % 4,
      title: `T${i} ${priorities[i % 4]}`,
    }));
    const first = await (await send(`/p/${project.key}/tickets?sort=priority`, { cookie, htmx: true })).text();
    const page1 = titles(first);
    expect(page1.slice(0, 13).every((t) => t.endsWith('CRITICAL'))).toBe(true);
    const ranks = page1.map((t) => priorities.indexOf(t.split(' ')[1] as never));
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    const page2 = titles(await (await send(nextLink(first)!, { cookie, htmx: true })).text());
    expect(page2).toHaveLength(5);
    expect(page2.every((t) => t.endsWith('LOW'))).toBe(true);
    expect(new Set([...page1, ...page2]).size).toBe(55);
  });

  it('sorts by last update', async () => {
    const project = await makeProject();
    const { user, cookie } = await member(project);
    await seed(project, user, 3, (i) => ({ updatedAt: Date.now() + [5, 1, 9][i]! }));
    const html = await (await send(`/p/${project.key}/tickets?sort=updated`, { cookie, htmx: true })).text();
    expect(titles(html)).toEqual(['Seeded ticket 3', 'Seeded ticket 1', 'Seeded ticket 2']);
  });

  it('keeps the filters in the page URL so a view can be bookmarked', async () => {
    const project = await makeProject();
    const { cookie } = await member(project);
    const changed = await send(`/p/${project.key}/tickets?q=&status=DONE&priority=&assignee=me&sort=created`, {
      cookie,
      htmx: true,
      headers: { 'HX-Current-URL': `http://hticket.test/p/${project.key}` },
    });
    expect(changed.headers.get('HX-Push-Url')).toBe(`/p/${project.key}?status=DONE&assignee=me`);
    // A refresh with the filters already in the URL pushes nothing.
    const same = await send(`/p/${project.key}/tickets?status=DONE&assignee=me`, {
      cookie,
      htmx: true,
      headers: { 'HX-Current-URL': `http://hticket.test/p/${project.key}?assignee=me&status=DONE` },
    });
    expect(same.headers.get('HX-Push-Url')).toBeNull();
    const bookmarked = await (await send(`/p/${project.key}?status=DONE&assignee=me`, { cookie })).text();
    expect(bookmarked).toContain('<option value="DONE" selected="">Done</option>');
    expect(bookmarked).toContain('<option value="me" selected="">Assigned to me</option>');
  });
});
