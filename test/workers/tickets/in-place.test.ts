/**
 * Status, priority and assignee changed in place (the ticket modal's fields, a list row's editor): one request, one
 * round trip, the same events, counters and notifications as the edit form, and plain form posts without htmx.
 */
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { mailDeliveries, ticketEvents } from '../../../src/db/schema';
import { makeProject, member } from '../fixtures';
import { roundTrips, send, signedIn, testDb } from '../helpers';
import { counters, fileTicket, readProject, ticketsOf } from './fixtures';

async function eventsOf(ticketId: string) {
  return testDb()
    .select({ field: ticketEvents.field, from: ticketEvents.fromValue, to: ticketEvents.toValue })
    .from(ticketEvents)
    .where(eq(ticketEvents.ticketId, ticketId));
}

async function statusDeliveries(ticketId: string) {
  const events = await testDb()
    .select({ id: ticketEvents.id })
    .from(ticketEvents)
    .where(and(eq(ticketEvents.ticketId, ticketId), eq(ticketEvents.field, 'status')));
  const rows = [];
  for (const e of events) {
    rows.push(...(await testDb().select().from(mailDeliveries).where(eq(mailDeliveries.refId, e.id))));
  }
  return rows.map((r) => r.recipient).sort();
}

async function setup() {
  const project = await makeProject();
  const reporter = await member(project, { name: 'Reporter' });
  const worker = await member(project, { name: 'Worker' });
  await fileTicket(project, reporter.cookie, { title: 'Fix the login', assignee: reporter.user.id });
  const [ticket] = await ticketsOf(project.id);
  return { project, key: project.key, reporter, worker, ticket: ticket! };
}

describe('changing fields in place from the ticket modal', () => {
  it('saves a status change in one round trip with the edit form’s event, counters and notification', async () => {
    const { project, key, reporter, worker, ticket } = await setup();
    const res = await send(`/p/${key}/t/1/fields`, { cookie: worker.cookie, htmx: true, form: { status: 'REVIEW' } });
    expect(res.status).toBe(200);
    expect(roundTrips(res)).toBe(1);
    const triggers = JSON.parse(res.headers.get('HX-Trigger')!);
    expect(triggers).toEqual({ ticketListUpdated: null, ticketActivityUpdated: null });
    const html = await res.text();
    expect(html).toContain('id="ticket-fields"');
    expect(html).toMatch(/<option value="REVIEW" selected/);
    expect(html).not.toContain('<html');
    const [row] = await ticketsOf(project.id);
    expect(row).toMatchObject({
      status: 'REVIEW',
      priority: 'MEDIUM',
      assigneeId: reporter.user.id,
      title: 'Fix the login',
    });
    expect(row!.updatedAt).toBeGreaterThan(ticket.updatedAt - 1);
    expect(await eventsOf(ticket.id)).toEqual([{ field: 'status', from: 'OPEN', to: 'REVIEW' }]);
    expect(counters(await readProject(project.id))).toEqual({ open: 0, inProgress: 0, review: 1, done: 0 });
    expect(await statusDeliveries(ticket.id)).toEqual([reporter.user.email]);
    // The open ticket's activity refetches itself on ticketActivityUpdated and shows the change.
    const activity = await send(`/p/${key}/t/1/activity`, { cookie: worker.cookie, htmx: true });
    expect(activity.status).toBe(200);
    expect(roundTrips(activity)).toBe(1);
    const list = await activity.text();
    expect(list).toMatch(/^<section id="ticket-activity"/);
    expect(list).toContain('<strong>Worker</strong> changed status from “Open” to “Review”');
  });

  it('sends the same notification when the edit form changes the status', async () => {
    const { project, key, reporter, worker, ticket } = await setup();
    const res = await send(`/p/${key}/t/1`, {
      cookie: worker.cookie,
      htmx: true,
      form: { title: 'Fix the login', description: '', status: 'DONE', priority: 'MEDIUM', assignee: reporter.user.id },
    });
    expect(res.status).toBe(204);
    expect(await statusDeliveries(ticket.id)).toEqual([reporter.user.email]);
    expect(counters(await readProject(project.id))).toEqual({ open: 0, inProgress: 0, review: 0, done: 1 });
  });

  it('changes priority and assignee, leaves the other fields alone, and unassigns with an empty value', async () => {
    const { project, key, worker, ticket } = await setup();
    await send(`/p/${key}/t/1/status`, { cookie: worker.cookie, htmx: true, form: { status: 'REVIEW' } });
    let res = await send(`/p/${key}/t/1/fields`, {
      cookie: worker.cookie,
      htmx: true,
      form: { priority: 'CRITICAL', assignee: worker.user.id },
    });
    expect(res.status).toBe(200);
    let [row] = await ticketsOf(project.id);
    expect(row).toMatchObject({ status: 'REVIEW', priority: 'CRITICAL', priorityRank: 3, assigneeId: worker.user.id });
    // The status counters stay where they are when the status is not changed.
    expect(counters(await readProject(project.id))).toEqual({ open: 0, inProgress: 0, review: 1, done: 0 });
    res = await send(`/p/${key}/t/1/fields`, { cookie: worker.cookie, htmx: true, form: { assignee: '' } });
    expect(res.status).toBe(200);
    [row] = await ticketsOf(project.id);
    expect(row!.assigneeId).toBeNull();
    expect((await eventsOf(ticket.id)).map((e) => e.field).sort()).toEqual([
      'assignee',
      'assignee',
      'priority',
      'status',
    ]);
  });

  it('changes nothing, not even updated_at, when the value is the one the ticket has', async () => {
    const { project, key, worker, ticket } = await setup();
    const res = await send(`/p/${key}/t/1/fields`, { cookie: worker.cookie, htmx: true, form: { status: 'OPEN' } });
    expect(res.status).toBe(200);
    const [row] = await ticketsOf(project.id);
    expect(row!.updatedAt).toBe(ticket.updatedAt);
    expect(await eventsOf(ticket.id)).toEqual([]);
    expect(await statusDeliveries(ticket.id)).toEqual([]);
  });

  it('redirects a plain form post (no JavaScript) back to the ticket', async () => {
    const { project, key, worker } = await setup();
    const res = await send(`/p/${key}/t/1/fields`, {
      cookie: worker.cookie,
      form: { status: 'IN_PROGRESS', priority: 'HIGH', assignee: worker.user.id },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(`/p/${key}/t/1`);
    const [row] = await ticketsOf(project.id);
    expect(row).toMatchObject({ status: 'IN_PROGRESS', priority: 'HIGH', assigneeId: worker.user.id });
  });

  it('shows the fields as a form in the ticket modal and page, with a Save button for pages without htmx', async () => {
    const { key, worker } = await setup();
    for (const htmx of [true, false]) {
      const html = await (await send(`/p/${key}/t/1`, { cookie: worker.cookie, htmx })).text();
      expect(html).toContain(`action="/p/${key}/t/1/fields"`);
      expect(html).toContain(`hx-post="/p/${key}/t/1/fields"`);
      expect(html).toMatch(/<select id="ticket-status" name="status"/);
      expect(html).toMatch(/<option value="[0-9a-f-]{36}" selected="">Reporter<\/option>/);
      expect(html).toContain('class="secondary save-fields"');
      expect(html).toMatch(
        new RegExp(
          `<section id="ticket-activity"[^>]*hx-get="/p/${key}/t/1/activity" hx-trigger="ticketActivityUpdated from:body" hx-swap="outerHTML"`,
        ),
      );
    }
    // Without htmx, the activity's address is the ticket's page.
    const page = await send(`/p/${key}/t/1/activity`, { cookie: worker.cookie });
    expect(page.status).toBe(303);
    expect(page.headers.get('Location')).toBe(`/p/${key}/t/1`);
  });

  it.each([
    ['an unknown status', { status: 'LOST' }, 'Choose one of the listed statuses.'],
    ['an unknown priority', { priority: 'URGENT' }, 'Choose one of the listed priorities.'],
    ['a malformed assignee', { assignee: 'nobody' }, 'Choose a member of the project, or nobody.'],
    ['no field at all', {}, 'Choose a status, priority, assignee or due date.'],
    ['a repeated field', { status: ['OPEN', 'DONE'] }, 'Choose one of the listed statuses.'],
  ])('refuses %s with 422 and the message next to the field, changing nothing', async (_, form, message) => {
    const { project, key, worker, ticket } = await setup();
    const res = await send(`/p/${key}/t/1/fields`, { cookie: worker.cookie, htmx: true, form });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain(message);
    const [row] = await ticketsOf(project.id);
    expect(row).toEqual(ticket);
  });

  it('refuses an assignee who is not a member with 422, in one round trip', async () => {
    const { project, key, worker, ticket } = await setup();
    const outsider = await signedIn();
    const res = await send(`/p/${key}/t/1/fields`, {
      cookie: worker.cookie,
      htmx: true,
      form: { assignee: outsider.user.id, status: 'DONE' },
    });
    expect(res.status).toBe(422);
    expect(roundTrips(res)).toBe(1);
    expect(await res.text()).toContain('Choose a member of the project, or nobody.');
    const [row] = await ticketsOf(project.id);
    expect(row).toEqual(ticket);
    expect(counters(await readProject(project.id))).toEqual({ open: 1, inProgress: 0, review: 0, done: 0 });
  });

  it('answers 404 for a missing ticket, a malformed number and someone outside the project', async () => {
    const { project, key, worker, ticket } = await setup();
    const outsider = await signedIn();
    for (const [path, cookie] of [
      [`/p/${key}/t/99/fields`, worker.cookie],
      [`/p/${key}/t/99/row`, worker.cookie],
      [`/p/${key}/t/x1/fields`, worker.cookie],
      [`/p/${key}/t/1/fields`, outsider.cookie],
      [`/p/${key}/t/1/row`, outsider.cookie],
    ] as const) {
      const res = await send(path, { cookie, htmx: true, form: { status: 'DONE' } });
      expect(res.status, path).toBe(404);
    }
    for (const path of [`/p/${key}/t/1/row`, `/p/${key}/t/1/row?edit`, `/p/${key}/t/1/activity`]) {
      expect((await send(path, { cookie: outsider.cookie, htmx: true })).status).toBe(404);
    }
    expect((await send(`/p/${key}/t/99/activity`, { cookie: worker.cookie, htmx: true })).status).toBe(404);
    const [row] = await ticketsOf(project.id);
    expect(row).toEqual(ticket);
  });
});

describe('changing fields in place from a list row', () => {
  it('opens the row’s editor and answers a change with the plain row, in one round trip each', async () => {
    const { project, key, worker, ticket } = await setup();
    const editor = await send(`/p/${key}/t/1/row?edit`, { cookie: worker.cookie, htmx: true });
    expect(editor.status).toBe(200);
    expect(roundTrips(editor)).toBe(1);
    const editorHtml = await editor.text();
    expect(editorHtml).toMatch(/^<tr class="row-edit"/);
    expect(editorHtml).toContain(`aria-label="Status of ${key}-1"`);
    expect(editorHtml).toContain(`hx-post="/p/${key}/t/1/row"`);
    expect(editorHtml).toContain('>Worker</option>');

    const res = await send(`/p/${key}/t/1/row`, { cookie: worker.cookie, htmx: true, form: { status: 'DONE' } });
    expect(res.status).toBe(200);
    expect(roundTrips(res)).toBe(1);
    const html = await res.text();
    expect(html).toMatch(/^<tr><td>[A-Z]+-1 <a /);
    expect(html).toContain('Done');
    expect(html).toContain('Fix the login');
    const [row] = await ticketsOf(project.id);
    expect(row!.status).toBe('DONE');
    expect(await eventsOf(ticket.id)).toEqual([{ field: 'status', from: 'OPEN', to: 'DONE' }]);

    const plain = await send(`/p/${key}/t/1/row`, { cookie: worker.cookie, htmx: true });
    expect(await plain.text()).toMatch(/^<tr><td>/);
  });

  it('answers a bad value with the editor again and the message (422)', async () => {
    const { project, key, worker, ticket } = await setup();
    const res = await send(`/p/${key}/t/1/row`, { cookie: worker.cookie, htmx: true, form: { priority: 'NOW' } });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(/^<tr class="row-edit"/);
    expect(html).toContain('Choose one of the listed priorities.');
    const [row] = await ticketsOf(project.id);
    expect(row).toEqual(ticket);
  });

  it('marks the editable columns in the list header (the rows themselves stay lean)', async () => {
    const { key, worker } = await setup();
    const html = await (await send(`/p/${key}`, { cookie: worker.cookie })).text();
    for (const field of ['status', 'priority', 'assignee']) expect(html).toContain(`data-field="${field}"`);
    const rows = await (await send(`/p/${key}/tickets`, { cookie: worker.cookie, htmx: true })).text();
    expect(rows).not.toContain('data-field');
  });
});

describe('a change in place made from an older version', () => {
  it('carries the version and refuses a stale change with 409, from the modal and from a row, in one round trip', async () => {
    const { project, key, reporter, worker, ticket } = await setup();
    const modal = await (await send(`/p/${key}/t/1`, { cookie: worker.cookie, htmx: true })).text();
    expect(modal).toMatch(/<form id="ticket-fields"[^>]*>\s*<input type="hidden" name="version" value="1"/);
    const editor = await (await send(`/p/${key}/t/1/row?edit`, { cookie: worker.cookie, htmx: true })).text();
    expect(editor).toContain(`hx-vals="{&quot;version&quot;:&quot;1&quot;}"`);

    const first = await send(`/p/${key}/t/1/fields`, {
      cookie: reporter.cookie,
      htmx: true,
      form: { priority: 'HIGH', version: '1' },
    });
    expect(first.status).toBe(200);
    let res = await send(`/p/${key}/t/1/fields`, {
      cookie: worker.cookie,
      htmx: true,
      form: { status: 'DONE', version: '1' },
    });
    expect(res.status).toBe(409);
    expect(roundTrips(res)).toBe(1);
    let html = await res.text();
    expect(html).toContain(`Reporter changed ${key}-1 just before your change, so it was not saved.`);
    expect(html).toMatch(/<option value="HIGH" selected/);
    expect(html).toMatch(/<option value="OPEN" selected/);
    expect(html).toContain('name="version" value="2"');
    expect((await ticketsOf(project.id))[0]).toMatchObject({ status: 'OPEN', priority: 'HIGH', version: 2 });
    expect(await eventsOf(ticket.id)).toEqual([{ field: 'priority', from: 'MEDIUM', to: 'HIGH' }]);
    expect(counters(await readProject(project.id))).toEqual({ open: 1, inProgress: 0, review: 0, done: 0 });

    await send(`/p/${key}/t/1/row`, { cookie: reporter.cookie, htmx: true, form: { status: 'REVIEW', version: '2' } });
    res = await send(`/p/${key}/t/1/row`, {
      cookie: worker.cookie,
      htmx: true,
      form: { status: 'DONE', version: '2' },
    });
    expect(res.status).toBe(409);
    expect(roundTrips(res)).toBe(1);
    html = await res.text();
    expect(html).toMatch(/^<tr class="row-edit"/);
    expect(html).toContain('just before your change, so it was not saved.');
    expect(html).toContain(`hx-vals="{&quot;version&quot;:&quot;3&quot;}"`);
    expect((await ticketsOf(project.id))[0]).toMatchObject({ status: 'REVIEW', version: 3 });
  });
});
