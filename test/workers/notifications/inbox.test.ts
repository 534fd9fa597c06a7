import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { inboxItems } from '../../../src/db/schema';
import { INBOX_PAGE } from '../../../src/inbox/queries';
import { makeProject, member } from '../fixtures';
import { roundTrips, send, testDb } from '../helpers';
import { fileTicket, ticketsOf } from '../tickets/fixtures';

async function inboxOf(cookie: string, query = '') {
  const res = await send(`/inbox${query}`, { cookie });
  return { res, html: await res.text() };
}

describe('the inbox', () => {
  it('lists what happened newest first, marks unread, shows the count in the header and pages by keyset', async () => {
    const project = await makeProject();
    const reporter = await member(project, { name: 'Rita' });
    const other = await member(project, { name: 'Olly' });
    await fileTicket(project, reporter.cookie, { title: 'Printer on fire' });
    const [ticket] = await ticketsOf(project.id);
    const now = Date.now();
    const rows = Array.from({ length: INBOX_PAGE + 5 }, (_, i) => ({
      id: crypto.randomUUID(),
      userId: reporter.user.id,
      ticketId: ticket!.id,
      actorId: other.user.id,
      kind: 'comment' as const,
      refId: crypto.randomUUID(),
      createdAt: now - i * 1000,
    }));
    for (let i = 0; i < rows.length; i += 10)
      await testDb()
        .insert(inboxItems)
        .values(rows.slice(i, i + 10));

    const { res, html } = await inboxOf(reporter.cookie);
    expect(res.status).toBe(200);
    expect(roundTrips(res)).toBe(1);
    expect(html).toContain('<span class="unread-count">55<span class="visually-hidden"> unread</span>');
    expect(html.match(/class="inbox-item unread"/g)).toHaveLength(INBOX_PAGE);
    expect(html.indexOf(rows[0]!.id)).toBeLessThan(html.indexOf(rows[1]!.id));
    expect(html).toContain('Olly commented');
    const next = /hx-get="\/inbox\/items\?after=([^"]+)"/.exec(html)![1]!;
    const more = await send(`/inbox/items?after=${next}`, { cookie: reporter.cookie, htmx: true });
    const moreHtml = await more.text();
    expect(moreHtml.match(/class="inbox-item unread"/g)).toHaveLength(5);
    expect(moreHtml).toContain(rows[INBOX_PAGE]!.id);
    expect(moreHtml).not.toContain('Load more');

    // A bad cursor is the first page, not an error.
    const bad = await inboxOf(reporter.cookie, '?after=%%%nonsense');
    expect(bad.res.status).toBe(200);
    expect(bad.html).toContain(rows[0]!.id);

    // Opening an item marks it read and goes to the ticket.
    const open = await send(`/inbox/${rows[0]!.id}`, { cookie: reporter.cookie, form: {} });
    expect(open.status).toBe(303);
    expect(open.headers.get('location')).toBe(`/p/${project.key}/t/1`);
    const [opened] = await testDb().select().from(inboxItems).where(eq(inboxItems.id, rows[0]!.id));
    expect(opened!.readAt).not.toBeNull();
    expect((await inboxOf(reporter.cookie)).html).toContain('<span class="unread-count">54<');

    // Someone else's item is a 404 and stays unread.
    const foreign = await send(`/inbox/${rows[1]!.id}`, { cookie: other.cookie, form: {} });
    expect(foreign.status).toBe(404);

    const all = await send('/inbox/read', { cookie: reporter.cookie, form: {} });
    expect(all.status).toBe(303);
    const after = (await inboxOf(reporter.cookie)).html;
    expect(after).not.toContain('unread');
  });

  it('leaves out items of projects I can no longer see', async () => {
    const project = await makeProject();
    const reporter = await member(project);
    const other = await member(project);
    await fileTicket(project, reporter.cookie, { assignee: other.user.id });
    expect((await inboxOf(other.cookie)).html).toContain('assigned it to you');
    const { projectMembers } = await import('../../../src/db/schema');
    await testDb().delete(projectMembers).where(eq(projectMembers.userId, other.user.id));
    const { html } = await inboxOf(other.cookie);
    expect(html).not.toContain('assigned it to you');
    expect(html).not.toContain('class="unread-count"');
  });
});
