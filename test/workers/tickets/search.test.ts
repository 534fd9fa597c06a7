/** Search that finds: every word in any order, ticket keys, clearing filters, column sorting, the empty project. */
import { describe, expect, it } from 'vitest';
import { tickets, type Project, type User } from '../../../src/db/schema';
import { makeProject, member } from '../fixtures';
import { roundTrips, send, testDb, TICKETS_PER_INSERT } from '../helpers';
import { fileTicket } from './fixtures';

async function seed(project: Project, reporter: User, rows: Partial<typeof tickets.$inferInsert>[]) {
  const base = Date.now() - rows.length * 1000;
  const values = rows.map((extra, i) => ({
    id: crypto.randomUUID(),
    projectId: project.id,
    number: i + 1,
    reporterId: reporter.id,
    title: `Seeded ticket ${i + 1}`,
    createdAt: base + i,
    updatedAt: base + i,
    ...extra,
  }));
  for (let i = 0; i < values.length; i += TICKETS_PER_INSERT)
    await testDb()
      .insert(tickets)
      .values(values.slice(i, i + TICKETS_PER_INSERT));
}

function titles(html: string): string[] {
  return [...html.matchAll(/hx-get="\/p\/[A-Z]+\/t\/\d+">([^<]*)<\/a>/g)].map((m) => m[1]!);
}

function nextLink(html: string): string | null {
  const m = /hx-get="(\/p\/[A-Z]+\/tickets\?[^"]*after=[^"]+)"/.exec(html);
  return m ? m[1]!.replace(/&amp;/g, '&') : null;
}

async function searchProject() {
  const project = await makeProject();
  const me = await member(project);
  await seed(project, me.user, [
    { title: 'Avatar upload fails', description: 'The app shows a crash screen.' },
    { title: 'Crash on start', description: 'Nothing to do with pictures.' },
    { title: 'Avatar looks blurry', description: '' },
    { title: 'CRASH when the AVATAR is huge', description: '' },
    { title: 'Unrelated', description: 'avatars and crashes are mentioned in passing' },
  ]);
  const search = async (q: string) => {
    const res = await send(`/p/${project.key}/tickets?q=${encodeURIComponent(q)}`, { cookie: me.cookie, htmx: true });
    expect(res.status).toBe(200);
    expect(roundTrips(res)).toBe(1);
    return titles(await res.text()).sort();
  };
  return { project, me, search };
}

describe('searching the ticket list', () => {
  it('finds tickets with every word, in any order, across title and description, ignoring case', async () => {
    const { search } = await searchProject();
    const both = ['Avatar upload fails', 'CRASH when the AVATAR is huge', 'Unrelated'];
    expect(await search('crash avatar')).toEqual(both);
    expect(await search('Avatar   CRASH')).toEqual(both);
    expect(await search('avatar')).toEqual([...both, 'Avatar looks blurry'].sort());
    expect(await search('crash avatar upload')).toEqual(['Avatar upload fails']);
    expect(await search('crash avatar nowhere')).toEqual([]);
  });

  it('finds a ticket by its key or its number', async () => {
    const { project, search } = await searchProject();
    expect(await search(`${project.key}-3`)).toEqual(['Avatar looks blurry']);
    expect(await search(`${project.key.toLowerCase()}-2`)).toEqual(['Crash on start']);
    expect(await search(' 4 ')).toEqual(['CRASH when the AVATAR is huge']);
    // Another project's key is only text; a number that is no ticket finds nothing.
    expect(await search('ZZ-3')).toEqual([]);
    expect(await search(`${project.key}-99`)).toEqual([]);
  });

  it('sorts oldest first and pages within that order', async () => {
    const project = await makeProject();
    const { user, cookie } = await member(project);
    await seed(
      project,
      user,
      Array.from({ length: 55 }, () => ({})),
    );
    const first = await send(`/p/${project.key}/tickets?sort=oldest`, { cookie, htmx: true });
    expect(roundTrips(first)).toBe(1);
    const html = await first.text();
    const page1 = titles(html);
    expect(page1.slice(0, 3)).toEqual(['Seeded ticket 1', 'Seeded ticket 2', 'Seeded ticket 3']);
    const next = nextLink(html)!;
    expect(next).toContain('sort=oldest');
    const page2 = titles(await (await send(next, { cookie, htmx: true })).text());
    expect(page2).toEqual([
      'Seeded ticket 51',
      'Seeded ticket 52',
      'Seeded ticket 53',
      'Seeded ticket 54',
      'Seeded ticket 55',
    ]);
    expect(new Set([...page1, ...page2]).size).toBe(55);
  });

  it('sorts from the column headers, marking the sorted column', async () => {
    const project = await makeProject();
    const { cookie } = await member(project);
    const page = async (qs: string) => (await send(`/p/${project.key}${qs}`, { cookie })).text();
    let html = await page('');
    expect(html).toMatch(
      /<th scope="col" aria-sort="descending"><a href="\/p\/[A-Z]+\?sort=oldest" data-sort="oldest"/,
    );
    expect(html).toMatch(
      /<th scope="col" data-field="priority"><a href="\/p\/[A-Z]+\?sort=priority" data-sort="priority"/,
    );
    html = await page('?sort=oldest&status=OPEN');
    expect(html).toMatch(/aria-sort="ascending"><a href="\/p\/[A-Z]+\?status=OPEN" data-sort="created"/);
    html = await page('?sort=priority');
    expect(html).toMatch(/<th scope="col" data-field="priority" aria-sort="descending">/);
  });

  it('offers "Clear filters" when filters match nothing, and always in the filter form', async () => {
    const project = await makeProject();
    const { cookie } = await member(project);
    await fileTicket(project, cookie, { title: 'Only one' });
    const rows = await (await send(`/p/${project.key}/tickets?q=absent`, { cookie, htmx: true })).text();
    expect(rows).toContain('No tickets match these filters.');
    expect(rows).toContain(`<a href="/p/${project.key}">Clear filters</a>`);
    expect(rows).not.toContain('Create the first ticket');
    const pageHtml = await (await send(`/p/${project.key}?status=DONE`, { cookie })).text();
    expect(pageHtml).toContain(`<a href="/p/${project.key}" class="clear-filters">Clear filters</a>`);
  });

  it('offers "Create the first ticket" in a project without tickets', async () => {
    const project = await makeProject();
    const { cookie } = await member(project);
    for (const [path, htmx] of [
      [`/p/${project.key}`, false],
      [`/p/${project.key}/tickets`, true],
    ] as const) {
      const html = await (await send(path, { cookie, htmx })).text();
      expect(html).toContain('No tickets yet.');
      expect(html).toContain(
        `<a href="/p/${project.key}/t/new" hx-get="/p/${project.key}/t/new">Create the first ticket</a>`,
      );
      expect(html).not.toContain('No tickets match these filters');
    }
    // Filters on an empty project still say that nothing matches them.
    const filtered = await (await send(`/p/${project.key}/tickets?status=DONE`, { cookie, htmx: true })).text();
    expect(filtered).toContain('No tickets match these filters.');
  });
});
