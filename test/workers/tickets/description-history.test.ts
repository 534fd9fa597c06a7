import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ticketEvents } from '../../../src/db/schema';
import { makeProject, member } from '../fixtures';
import { roundTrips, send, signedIn, testDb } from '../helpers';
import { fileTicket, ticketsOf } from './fixtures';

function edit(key: string, number: number, cookie: string, description: string) {
  return send(`/p/${key}/t/${number}`, {
    cookie,
    htmx: true,
    form: { title: 'A ticket', description, status: 'OPEN', priority: 'MEDIUM', assignee: '' },
  });
}

async function descriptionEvents(ticketId: string) {
  return testDb()
    .select()
    .from(ticketEvents)
    .where(and(eq(ticketEvents.ticketId, ticketId), eq(ticketEvents.field, 'description')))
    .orderBy(ticketEvents.createdAt);
}

describe('description changes in the history', () => {
  it('are recorded with the replaced text, which anyone who sees the ticket can read, sanitized', async () => {
    const project = await makeProject();
    const { cookie } = await member(project, { name: 'Dana Writer' });
    const reader = await member(project);
    const first = 'First **draft** <script>alert(1)</script> [x](javascript:alert(1))';
    const number = await fileTicket(project, cookie, { description: first });
    const res = await edit(project.key, number, cookie, 'Second draft');
    expect(res.status).toBe(204);
    expect(roundTrips(res)).toBe(1);
    expect((await edit(project.key, number, cookie, 'Third draft')).status).toBe(204);

    const [ticket] = await ticketsOf(project.id);
    const events = await descriptionEvents(ticket!.id);
    expect(events.map((e) => [e.fromValue, e.toValue])).toEqual([
      [first, null],
      ['Second draft', null],
    ]);

    const view = await send(`/p/${project.key}/t/${number}`, { cookie: reader.cookie, htmx: true });
    expect(roundTrips(view)).toBe(1);
    const html = await view.text();
    expect(html).toContain('<strong>Dana Writer</strong> changed the description');
    // The modal links to the old texts but does not carry them.
    expect(html).not.toContain('First <strong>draft</strong>');
    const path = `/p/${project.key}/t/${number}/history/${events[0]!.id}`;
    expect(html).toContain(`hx-get="${path}"`);

    const previous = await send(path, { cookie: reader.cookie, htmx: true });
    expect(previous.status).toBe(200);
    expect(roundTrips(previous)).toBe(1);
    const text = await previous.text();
    expect(text).toContain('First <strong>draft</strong>');
    expect(text).not.toContain('<script>');
    expect(text).not.toContain('javascript:');
    expect(text).toContain('hx-ignore');
    // Opened as a page (no JavaScript), it is a whole page with a way back.
    const page = await (await send(path, { cookie: reader.cookie })).text();
    expect(page).toContain('<!doctype html>');
    expect(page).toContain(`href="/p/${project.key}/t/${number}"`);
  });

  it('is a 404 for someone outside the project, another ticket, another kind of change or a malformed id', async () => {
    const project = await makeProject();
    const { cookie } = await member(project);
    const number = await fileTicket(project, cookie, { description: 'secret plans' });
    const other = await fileTicket(project, cookie);
    await edit(project.key, number, cookie, 'new plans');
    await send(`/p/${project.key}/t/${number}/status`, { cookie, htmx: true, form: { status: 'DONE' } });
    const [ticket] = await ticketsOf(project.id);
    const all = await testDb().select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticket!.id));
    const description = all.find((e) => e.field === 'description')!;
    const status = all.find((e) => e.field === 'status')!;
    const outsider = await signedIn();

    const refused = [
      await send(`/p/${project.key}/t/${number}/history/${description.id}`, { cookie: outsider.cookie }),
      await send(`/p/${project.key}/t/${other}/history/${description.id}`, { cookie }),
      await send(`/p/${project.key}/t/${number}/history/${status.id}`, { cookie }),
      await send(`/p/${project.key}/t/${number}/history/not-an-id`, { cookie }),
    ];
    expect(refused.map((r) => r.status)).toEqual([404, 404, 404, 404]);
    for (const res of refused) expect(await res.text()).not.toContain('secret plans');
    expect((await send(`/p/${project.key}/t/${number}/history/${description.id}`, { cookie })).status).toBe(200);
  });
});
