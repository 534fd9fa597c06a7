import { eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { projects, tickets, ticketEvents } from '../../../src/db/schema';
import { BOARD_COLUMN_LIMIT } from '../../../src/tickets/queries';
import { TITLE_MAX } from '../../../src/tickets/schemas';
import { makeProject, member } from '../fixtures';
import { roundTrips, send, testDb, TICKETS_PER_INSERT } from '../helpers';
import { counters, fileTicket, readProject, ticketsOf } from './fixtures';

function column(html: string, status: string): string {
  const start = html.indexOf(`data-drop-status="${status}"`);
  const end = html.indexOf('</section>', start);
  return html.slice(start, end);
}

describe('board', () => {
  it("escapes every value a card shows and draws its due date as the ticket's badge does", async () => {
    const project = await makeProject();
    const me = await member(project, { name: 'Ann <b>"&\'' });
    const title = `<img src=x onerror="alert(1)"> & 'quotes'`;
    await fileTicket(project, me.cookie, { title, assignee: me.user.id, due_date: '2020-01-02' });
    await fileTicket(project, me.cookie, { title: 'Shipped', status: 'DONE', due_date: '2020-01-02' });
    const html = await (await send(`/p/${project.key}/board`, { cookie: me.cookie, htmx: true })).text();
    expect(html).not.toContain('<img');
    expect(column(html, 'OPEN')).toContain(
      `class="card-title">&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;quotes&#39;</a>`,
    );
    expect(column(html, 'OPEN')).toContain(
      `${project.key}-1 <span class="badge p-medium">Medium</span> <span class="muted">Ann &lt;b&gt;&quot;&amp;&#39;</span>` +
        ` <span class="due due-overdue" title="Due 2020-01-02" data-due="2020-01-02">Overdue 2020-01-02</span></p>`,
    );
    // Done: the date without a state, and no day for app.js to redo.
    expect(column(html, 'DONE')).toContain(
      `<span class="muted">Unassigned</span> <span class="due" title="Due 2020-01-02">2020-01-02</span></p>`,
    );
  });

  it('shows a column per status with its cards, as a page and as a partial, in one round trip', async () => {
    const project = await makeProject();
    const { cookie } = await member(project);
    await fileTicket(project, cookie, { title: 'Todo thing' });
    await fileTicket(project, cookie, { title: 'Doing thing', status: 'IN_PROGRESS' });
    const page = await send(`/p/${project.key}/board`, { cookie });
    expect(page.status).toBe(200);
    expect(roundTrips(page)).toBe(1);
    const html = await page.text();
    expect(html).toContain('<html');
    expect(column(html, 'OPEN')).toContain('Todo thing');
    expect(column(html, 'IN_PROGRESS')).toContain('Doing thing');
    expect(column(html, 'DONE')).not.toContain('thing');
    expect(html).toContain(
      `<li class="card" draggable="true" data-status="OPEN" data-version="1"><a href="/p/${project.key}/t/1"`,
    );
    // One move control for the whole board, not a select and a button per card.
    expect(html.match(/<select/g)).toHaveLength(1);
    expect(html).toContain('<form id="board-move" class="move" method="post" hidden="">');

    const partial = await send(`/p/${project.key}/board`, { cookie, htmx: true });
    expect(roundTrips(partial)).toBe(1);
    const partialHtml = await partial.text();
    expect(partialHtml).not.toContain('<html');
    expect(partialHtml).toMatch(
      /^<div id="board"[^>]*hx-trigger="ticketListUpdated from:body, profileUpdated from:body"/,
    );
  });

  /** Puts `count` open tickets with the longest titles straight into the project, a second apart. */
  async function seedColumn(project: { id: string }, reporterId: string, count: number, status = 'OPEN' as const) {
    const base = Date.now() - count * 1000;
    const rows = Array.from({ length: count }, (_, i) => ({
      id: crypto.randomUUID(),
      projectId: project.id,
      number: i + 1,
      reporterId,
      assigneeId: reporterId,
      status,
      priority: 'CRITICAL' as const,
      title: `Column card ${i + 1} `.padEnd(TITLE_MAX, 'x'),
      createdAt: base + i * 1000,
      updatedAt: base + i * 1000,
    }));
    for (let i = 0; i < rows.length; i += TICKETS_PER_INSERT) {
      await testDb()
        .insert(tickets)
        .values(rows.slice(i, i + TICKETS_PER_INSERT));
    }
    await testDb()
      .update(projects)
      .set({ openCount: count, nextTicketNumber: count + 1 })
      .where(eq(projects.id, project.id));
  }

  it('shows a page of the most recently updated cards per column, with Show more', async () => {
    const project = await makeProject();
    const { user, cookie } = await member(project);
    const count = BOARD_COLUMN_LIMIT + 5;
    await seedColumn(project, user.id, count);

    const res = await send(`/p/${project.key}/board`, { cookie, htmx: true });
    expect(roundTrips(res)).toBe(1);
    const open = column(await res.text(), 'OPEN');
    expect(open.match(/class="card"/g)).toHaveLength(BOARD_COLUMN_LIMIT);
    expect(open).toContain(`Column card ${count} `);
    expect(open).not.toContain('Column card 5 ');
    expect(open).toContain(`<span class="muted">${count}</span>`);
    // Without JavaScript, Show more opens the column as a list.
    expect(open).toContain(
      `<a href="/p/${project.key}?status=OPEN&amp;sort=updated" hx-get="/p/${project.key}/board/OPEN?after=`,
    );
  });

  it('pages a column by keyset until its last card, each page in one round trip', async () => {
    const project = await makeProject();
    const { user, cookie } = await member(project);
    const count = 2 * BOARD_COLUMN_LIMIT + 3;
    await seedColumn(project, user.id, count);

    const seen: number[] = [];
    let html = column(await (await send(`/p/${project.key}/board`, { cookie, htmx: true })).text(), 'OPEN');
    for (let pages = 0; ; pages++) {
      seen.push(...[...html.matchAll(/Column card (\d+) /g)].map((m) => Number(m[1])));
      const next = /hx-get="(\/p\/[A-Z]+\/board\/OPEN\?after=[^"]+)"/.exec(html)?.[1];
      if (!next) break;
      expect(pages).toBeLessThan(5);
      const res = await send(next.replaceAll('&amp;', '&'), { cookie, htmx: true });
      expect(res.status).toBe(200);
      expect(roundTrips(res)).toBe(1);
      html = await res.text();
      expect(html).not.toContain('<html');
    }
    // Every card once, newest first, none repeated or skipped.
    expect(seen).toEqual(Array.from({ length: count }, (_, i) => count - i));
  });

  it('keeps the board partial under 40 KB however many tickets the project holds', async () => {
    const project = await makeProject();
    const { user, cookie } = await member(project);
    // Every column full of the longest titles, more than one page each.
    await seedColumn(project, user.id, 4 * (BOARD_COLUMN_LIMIT + 2));
    const ids = (await ticketsOf(project.id)).map((t) => t.id);
    for (const [i, status] of (['IN_PROGRESS', 'REVIEW', 'DONE'] as const).entries()) {
      const slice = ids.slice((i + 1) * (BOARD_COLUMN_LIMIT + 2), (i + 2) * (BOARD_COLUMN_LIMIT + 2));
      await testDb().update(tickets).set({ status }).where(inArray(tickets.id, slice));
    }
    const res = await send(`/p/${project.key}/board`, { cookie, htmx: true });
    const html = await res.text();
    expect(html.match(/class="card"/g)).toHaveLength(4 * BOARD_COLUMN_LIMIT);
    expect(new TextEncoder().encode(html).byteLength).toBeLessThanOrEqual(40 * 1024);
  });

  it('answers 404 for a column of an unknown status or of a project the user cannot see', async () => {
    const project = await makeProject();
    const { cookie } = await member(project);
    expect((await send(`/p/${project.key}/board/LIMBO`, { cookie, htmx: true })).status).toBe(404);
    const other = await makeProject();
    expect((await send(`/p/${other.key}/board/OPEN`, { cookie, htmx: true })).status).toBe(404);
  });

  it('moves a card with a POST that follows the contract and keeps the counters right', async () => {
    const project = await makeProject();
    const { user, cookie } = await member(project);
    await fileTicket(project, cookie);
    await fileTicket(project, cookie);
    expect(counters(await readProject(project.id))).toEqual({ open: 2, inProgress: 0, review: 0, done: 0 });

    const res = await send(`/p/${project.key}/t/1/status`, { cookie, htmx: true, form: { status: 'REVIEW' } });
    expect(res.status).toBe(204);
    expect(roundTrips(res)).toBe(1);
    expect(JSON.parse(res.headers.get('HX-Trigger')!)).toMatchObject({ ticketListUpdated: null });
    expect(counters(await readProject(project.id))).toEqual({ open: 1, inProgress: 0, review: 1, done: 0 });

    // Moving to the same status changes nothing.
    await send(`/p/${project.key}/t/1/status`, { cookie, htmx: true, form: { status: 'REVIEW' } });
    expect(counters(await readProject(project.id))).toEqual({ open: 1, inProgress: 0, review: 1, done: 0 });

    await send(`/p/${project.key}/t/1/status`, { cookie, htmx: true, form: { status: 'DONE' } });
    await send(`/p/${project.key}/t/2/status`, { cookie, htmx: true, form: { status: 'IN_PROGRESS' } });
    expect(counters(await readProject(project.id))).toEqual({ open: 0, inProgress: 1, review: 0, done: 1 });

    await send(`/p/${project.key}/t/1/delete`, { cookie, htmx: true, form: {} });
    expect(counters(await readProject(project.id))).toEqual({ open: 0, inProgress: 1, review: 0, done: 0 });

    const [ticket] = await ticketsOf(project.id);
    const events = await testDb().select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticket!.id));
    expect(events.map((e) => [e.field, e.fromValue, e.toValue, e.actorId])).toEqual([
      ['status', 'OPEN', 'IN_PROGRESS', user.id],
    ]);
  });

  it('redirects a move made without JavaScript back to the board', async () => {
    const project = await makeProject();
    const { cookie } = await member(project);
    await fileTicket(project, cookie);
    const res = await send(`/p/${project.key}/t/1/status`, { cookie, form: { status: 'DONE' } });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(`/p/${project.key}/board`);
  });

  it('refuses an unknown status with 422 and changes nothing', async () => {
    const project = await makeProject();
    const { cookie } = await member(project);
    await fileTicket(project, cookie);
    const res = await send(`/p/${project.key}/t/1/status`, { cookie, htmx: true, form: { status: 'LIMBO' } });
    expect(res.status).toBe(422);
    expect((await ticketsOf(project.id))[0]!.status).toBe('OPEN');
  });

  it('answers 404 when moving a ticket that does not exist', async () => {
    const project = await makeProject();
    const { cookie } = await member(project);
    const res = await send(`/p/${project.key}/t/7/status`, { cookie, htmx: true, form: { status: 'DONE' } });
    expect(res.status).toBe(404);
    expect(counters(await readProject(project.id))).toEqual({ open: 0, inProgress: 0, review: 0, done: 0 });
  });
});
