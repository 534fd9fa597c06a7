import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ticketEvents, tickets } from '../../../src/db/schema';
import { makeProject, member } from '../fixtures';
import { roundTrips, send, testDb } from '../helpers';
import { counters, fileTicket, readProject, ticketsOf } from './fixtures';

const form = (fields: Record<string, string>) => ({
  title: 'A ticket',
  description: '',
  status: 'OPEN',
  priority: 'MEDIUM',
  assignee: '',
  ...fields,
});

/** The hidden fields of a ticket's edit form, as a browser would send them back. */
async function openEditForm(key: string, cookie: string) {
  const html = await (await send(`/p/${key}/t/1/edit`, { cookie, htmx: true })).text();
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)![1]!;
  return { version: field('version'), base: field('base') };
}

async function eventsOf(ticketId: string) {
  return testDb().select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId));
}

describe('ticket versions', () => {
  it('puts the version in the edit form and raises it with every change', async () => {
    const project = await makeProject();
    const { cookie } = await member(project);
    await fileTicket(project, cookie);
    const edit = await send(`/p/${project.key}/t/1/edit`, { cookie, htmx: true });
    expect(await edit.text()).toMatch(/<input type="hidden" name="version" value="1"/);
    const saved = await send(`/p/${project.key}/t/1`, { cookie, htmx: true, form: form({ title: 'B', version: '1' }) });
    expect(saved.status).toBe(204);
    const moved = await send(`/p/${project.key}/t/1/status`, { cookie, htmx: true, form: { status: 'DONE' } });
    expect(moved.status).toBe(204);
    // Moving to the status it already has changes nothing, so the version stays.
    await send(`/p/${project.key}/t/1/status`, { cookie, htmx: true, form: { status: 'DONE' } });
    const [row] = await ticketsOf(project.id);
    expect(row).toMatchObject({ title: 'B', status: 'DONE', version: 3 });
  });

  it('saves one of two edits made from the same version and answers the other with 409, the form and what changed', async () => {
    const project = await makeProject();
    const ada = await member(project, { name: 'Ada' });
    const bob = await member(project, { name: 'Bob' });
    await fileTicket(project, ada.cookie, { title: 'Original' });
    const adaForm = await openEditForm(project.key, ada.cookie);
    const bobForm = await openEditForm(project.key, bob.cookie);
    expect(bobForm).toEqual(adaForm);

    const first = await send(`/p/${project.key}/t/1`, {
      cookie: ada.cookie,
      htmx: true,
      form: form({ title: 'Ada’s title', status: 'IN_PROGRESS', ...adaForm }),
    });
    expect(first.status).toBe(204);
    const second = await send(`/p/${project.key}/t/1`, {
      cookie: bob.cookie,
      htmx: true,
      form: form({ title: 'Bob’s title', priority: 'HIGH', ...bobForm }),
    });
    expect(second.status).toBe(409);
    expect(roundTrips(second)).toBe(1);
    const html = await second.text();
    // Bob's own changes are kept, Ada's come in where Bob left the field alone, and the form carries the current
    // version, so saving again keeps both.
    expect(html).toContain('value="Bob’s title"');
    expect(html).toMatch(/<option value="HIGH" selected/);
    expect(html).toMatch(/<option value="IN_PROGRESS" selected/);
    expect(html).toContain('Ada changed this ticket after you opened it');
    expect(html).toContain('Title is now “Ada’s title”; yours is in the form and replaces it if you save');
    expect(html).toContain('Status is now In progress');
    expect(html).toMatch(/name="version" value="2"/);

    let [row] = await ticketsOf(project.id);
    expect(row).toMatchObject({ title: 'Ada’s title', status: 'IN_PROGRESS', priority: 'MEDIUM', version: 2 });
    expect((await eventsOf(row!.id)).map((e) => e.field).sort()).toEqual(['status', 'title']);
    expect(counters(await readProject(project.id))).toEqual({ open: 0, inProgress: 1, review: 0, done: 0 });

    // Saving the 409 form again (as the browser would: its fields as shown) applies Bob's changes over Ada's.
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)![1]!;
    const again = await send(`/p/${project.key}/t/1`, {
      cookie: bob.cookie,
      htmx: true,
      form: form({
        title: 'Bob’s title',
        status: 'IN_PROGRESS',
        priority: 'HIGH',
        version: field('version'),
        base: field('base'),
      }),
    });
    expect(again.status).toBe(204);
    [row] = await ticketsOf(project.id);
    expect(row).toMatchObject({ title: 'Bob’s title', status: 'IN_PROGRESS', priority: 'HIGH', version: 3 });
    expect(counters(await readProject(project.id))).toEqual({ open: 0, inProgress: 1, review: 0, done: 0 });
  });

  it('keeps every field of a refused form that carries no stamp as the user’s', async () => {
    const project = await makeProject();
    const { cookie } = await member(project, { name: 'Ada' });
    await fileTicket(project, cookie);
    await send(`/p/${project.key}/t/1`, { cookie, htmx: true, form: form({ status: 'DONE', version: '1' }) });
    const res = await send(`/p/${project.key}/t/1`, {
      cookie,
      htmx: true,
      form: form({ title: 'Mine', version: '1' }),
    });
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toMatch(/<option value="OPEN" selected/);
    expect(html).toContain('Status is now Done; yours is in the form and replaces it if you save');
  });

  it('never writes two edits sent at the same time from the same version', async () => {
    const project = await makeProject();
    const ada = await member(project, { name: 'Ada' });
    const bob = await member(project, { name: 'Bob' });
    await fileTicket(project, ada.cookie);
    const [a, b] = await Promise.all([
      send(`/p/${project.key}/t/1`, {
        cookie: ada.cookie,
        htmx: true,
        form: form({ title: 'A', status: 'DONE', version: '1' }),
      }),
      send(`/p/${project.key}/t/1`, {
        cookie: bob.cookie,
        htmx: true,
        form: form({ title: 'B', status: 'REVIEW', version: '1' }),
      }),
    ]);
    expect([a.status, b.status].sort()).toEqual([204, 409]);
    const [row] = await ticketsOf(project.id);
    const winner = a.status === 204 ? { title: 'A', status: 'DONE' } : { title: 'B', status: 'REVIEW' };
    expect(row).toMatchObject({ ...winner, version: 2 });
    // Only the saved edit left activity, and the counters count the ticket once.
    const events = await eventsOf(row!.id);
    expect(events.map((e) => e.toValue).sort()).toEqual([winner.status, winner.title].sort());
    const c = counters(await readProject(project.id));
    expect(c.open + c.inProgress + c.review + c.done).toBe(1);
    expect(winner.status === 'DONE' ? c.done : c.review).toBe(1);
  });

  it('refuses a board move made from an older version with 409, and moves nothing', async () => {
    const project = await makeProject();
    const { cookie } = await member(project);
    await fileTicket(project, cookie);
    await send(`/p/${project.key}/t/1`, { cookie, htmx: true, form: form({ title: 'Changed', version: '1' }) });
    const stale = await send(`/p/${project.key}/t/1/status`, {
      cookie,
      htmx: true,
      form: { status: 'DONE', version: '1' },
    });
    expect(stale.status).toBe(409);
    expect(roundTrips(stale)).toBe(1);
    expect(JSON.parse(stale.headers.get('HX-Trigger')!)).toMatchObject({ ticketListUpdated: { target: 'body' } });
    const [row] = await ticketsOf(project.id);
    expect(row).toMatchObject({ status: 'OPEN', version: 2 });
    expect(counters(await readProject(project.id))).toEqual({ open: 1, inProgress: 0, review: 0, done: 0 });
    const fresh = await send(`/p/${project.key}/t/1/status`, {
      cookie,
      htmx: true,
      form: { status: 'DONE', version: '2' },
    });
    expect(fresh.status).toBe(204);
    expect((await ticketsOf(project.id))[0]).toMatchObject({ status: 'DONE', version: 3 });
  });

  it('answers a malformed version with 422 and changes nothing', async () => {
    const project = await makeProject();
    const { cookie } = await member(project);
    await fileTicket(project, cookie);
    const res = await send(`/p/${project.key}/t/1`, { cookie, htmx: true, form: form({ title: 'X', version: 'one' }) });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('This form is out of date');
    const move = await send(`/p/${project.key}/t/1/status`, {
      cookie,
      htmx: true,
      form: { status: 'DONE', version: '-1' },
    });
    expect(move.status).toBe(422);
    const rows = await testDb().select().from(tickets).where(eq(tickets.projectId, project.id));
    expect(rows[0]).toMatchObject({ title: 'A ticket', status: 'OPEN', version: 1 });
  });
});
