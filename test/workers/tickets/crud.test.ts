import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { tickets } from '../../../src/db/schema';
import { makeProject, member } from '../fixtures';
import { roundTrips, send, signedIn, testDb } from '../helpers';
import { counters, fileTicket, readProject, ticketsOf } from './fixtures';

describe('creating tickets', () => {
  it('creates a ticket numbered per project in one round trip and answers the modal contract', async () => {
    const project = await makeProject();
    const { user, cookie } = await member(project);
    const res = await send(`/p/${project.key}/t`, {
      cookie,
      htmx: true,
      form: { title: 'First', description: 'Some *text*', status: 'OPEN', priority: 'HIGH', assignee: user.id },
    });
    expect(res.status).toBe(204);
    expect(JSON.parse(res.headers.get('HX-Trigger')!)).toEqual({ ticketListUpdated: null, 'modal:close': null });
    expect(roundTrips(res)).toBe(1);
    await fileTicket(project, cookie, { title: 'Second' });
    const rows = await ticketsOf(project.id);
    expect(rows.map((r) => [r.number, r.title, r.reporterId])).toEqual([
      [1, 'First', user.id],
      [2, 'Second', user.id],
    ]);
    expect(rows[0]).toMatchObject({
      priority: 'HIGH',
      priorityRank: 2,
      assigneeId: user.id,
      description: 'Some *text*',
    });
    const p = await readProject(project.id);
    expect(p.nextTicketNumber).toBe(3);
    expect(counters(p)).toEqual({ open: 2, inProgress: 0, review: 0, done: 0 });
  });

  it('redirects a plain form post to the new ticket', async () => {
    const project = await makeProject();
    const { cookie } = await member(project);
    const res = await send(`/p/${project.key}/t`, { cookie, form: { title: 'No JS', status: 'REVIEW' } });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(`/p/${project.key}/t/1`);
    expect(counters(await readProject(project.id))).toEqual({ open: 0, inProgress: 0, review: 1, done: 0 });
  });

  it('shows the new-ticket form as a modal, and as a page when opened directly', async () => {
    const project = await makeProject();
    const { cookie } = await member(project);
    const modal = await send(`/p/${project.key}/t/new`, { cookie, htmx: true });
    expect(modal.status).toBe(200);
    const html = await modal.text();
    expect(html).not.toContain('<html');
    expect(html).toContain(`hx-post="/p/${project.key}/t"`);
    expect(html).toContain('name="title"');
    const page = await send(`/p/${project.key}/t/new`, { cookie });
    expect(await page.text()).toContain('<html');
  });

  it.each([
    ['an empty title', { title: '   ' }, 'title'],
    ['a 201-character title', { title: 'x'.repeat(201) }, 'title'],
    ['a 100 KB description', { description: 'x'.repeat(100 * 1024) }, 'description'],
    ['an unknown status', { status: 'BLOCKED' }, 'status'],
    ['an unknown priority', { priority: 'URGENT' }, 'priority'],
    ['a malformed assignee', { assignee: 'someone' }, 'assignee'],
  ])('refuses %s with 422 and the message next to the field', async (_name, fields, field) => {
    const project = await makeProject();
    const { cookie } = await member(project);
    const res = await send(`/p/${project.key}/t`, {
      cookie,
      htmx: true,
      form: { title: 'Valid', status: 'OPEN', priority: 'LOW', ...fields },
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain(`id="${field}-error"`);
    expect(html).toMatch(new RegExp(`name="${field}"[^>]*aria-invalid="true"`));
    expect(await ticketsOf(project.id)).toHaveLength(0);
    expect((await readProject(project.id)).nextTicketNumber).toBe(1);
  });

  it('accepts a 200-character title and a 50,000-character description', async () => {
    const project = await makeProject();
    const { cookie } = await member(project);
    await fileTicket(project, cookie, { title: 't'.repeat(200), description: 'd'.repeat(50_000) });
    const [row] = await ticketsOf(project.id);
    expect([row!.title.length, row!.description.length]).toEqual([200, 50_000]);
  });

  it('refuses an assignee who is not a member with 422, and changes nothing', async () => {
    const project = await makeProject();
    const { cookie } = await member(project);
    const outsider = await signedIn();
    const res = await send(`/p/${project.key}/t`, {
      cookie,
      htmx: true,
      form: { title: 'Assigned away', assignee: outsider.user.id },
    });
    expect(res.status).toBe(422);
    expect(roundTrips(res)).toBe(1);
    const html = await res.text();
    expect(html).toContain('Choose a member of the project, or nobody.');
    expect(html).toContain('value="Assigned away"');
    expect(await ticketsOf(project.id)).toHaveLength(0);
    const p = await readProject(project.id);
    expect(p.nextTicketNumber).toBe(1);
    expect(counters(p)).toEqual({ open: 0, inProgress: 0, review: 0, done: 0 });
  });

  it('ignores a forged project_id: the project comes from the URL and the membership check', async () => {
    const mine = await makeProject();
    const theirs = await makeProject();
    const { cookie } = await member(mine);
    await fileTicket(mine, cookie, { title: 'Forged', project_id: theirs.id });
    expect(await ticketsOf(theirs.id)).toHaveLength(0);
    expect((await ticketsOf(mine.id)).map((t) => t.title)).toEqual(['Forged']);
    const res = await send(`/p/${theirs.key}/t`, {
      cookie,
      htmx: true,
      form: { title: 'Sneaky', project_id: mine.id },
    });
    expect(res.status).toBe(404);
    expect(await ticketsOf(theirs.id)).toHaveLength(0);
    expect(await ticketsOf(mine.id)).toHaveLength(1);
  });
});

describe('viewing a ticket', () => {
  it('opens as a modal for htmx and as a full page when loaded directly, in one round trip', async () => {
    const project = await makeProject();
    const { cookie } = await member(project, { name: 'Grace Hopper' });
    const number = await fileTicket(project, cookie, {
      title: 'Printer on fire',
      description: '# Help\n\nIt **burns**',
    });
    const modal = await send(`/p/${project.key}/t/${number}`, { cookie, htmx: true });
    expect(modal.status).toBe(200);
    expect(roundTrips(modal)).toBe(1);
    const html = await modal.text();
    expect(html).not.toContain('<html');
    expect(html).toContain(`${project.key}-${number} · Printer on fire`);
    expect(html).toContain('<div class="markdown" hx-ignore><h1>Help</h1>');
    expect(html).toContain('<strong>burns</strong>');
    expect(html).toContain('Grace Hopper');
    expect(html).toContain(`hx-get="/p/${project.key}/t/${number}/edit"`);
    expect(html).toContain(`hx-get="/p/${project.key}/t/${number}/delete"`);
    const page = await send(`/p/${project.key}/t/${number}`, { cookie });
    expect(page.status).toBe(200);
    expect(roundTrips(page)).toBe(1);
    const pageHtml = await page.text();
    expect(pageHtml).toContain('<html');
    expect(pageHtml).toContain('Printer on fire');
  });

  it.each(['999', '0', '-1', 'abc', '1e3', '99999999999'])('answers 404 for the ticket number %s', async (n) => {
    const project = await makeProject();
    const { cookie } = await member(project);
    const res = await send(`/p/${project.key}/t/${n}`, { cookie, htmx: true });
    expect(res.status).toBe(404);
  });

  it('answers 404 for a ticket number of another project, even one the user can see', async () => {
    const a = await makeProject();
    const b = await makeProject();
    const { user, cookie } = await member(a);
    await fileTicket(a, cookie);
    const { addMember } = await import('../fixtures');
    await addMember(b, user);
    const res = await send(`/p/${b.key}/t/1`, { cookie, htmx: true });
    expect(res.status).toBe(404);
  });

  it.each(['/p/nex/t/1', '/p/N/t/1', '/p/TOOLONGKEY/t/1', '/p/AB1/t/1'])(
    'answers 404 for the malformed key in %s',
    async (path) => {
      const { cookie } = await signedIn();
      expect((await send(path, { cookie })).status).toBe(404);
    },
  );
});

describe('editing tickets', () => {
  it('saves the fields, writes activity rows for the tracked changes and keeps the counters, in one round trip', async () => {
    const project = await makeProject();
    const { user, cookie } = await member(project);
    const other = await member(project, { name: 'Other Person' });
    const number = await fileTicket(project, cookie, { title: 'Old title', priority: 'LOW' });
    const res = await send(`/p/${project.key}/t/${number}`, {
      cookie,
      htmx: true,
      form: {
        title: 'New title',
        description: 'changed',
        status: 'DONE',
        priority: 'CRITICAL',
        assignee: other.user.id,
      },
    });
    expect(res.status).toBe(204);
    expect(roundTrips(res)).toBe(1);
    // The modal goes back to the ticket's view (app.js, on ticketSaved) instead of closing.
    expect(JSON.parse(res.headers.get('HX-Trigger')!)).toEqual({
      ticketListUpdated: null,
      ticketUpdated: null,
      ticketSaved: { url: `/p/${project.key}/t/1` },
    });
    const [row] = await ticketsOf(project.id);
    expect(row).toMatchObject({
      title: 'New title',
      description: 'changed',
      status: 'DONE',
      priority: 'CRITICAL',
      priorityRank: 3,
      assigneeId: other.user.id,
    });
    expect(counters(await readProject(project.id))).toEqual({ open: 0, inProgress: 0, review: 0, done: 1 });
    const { ticketEvents } = await import('../../../src/db/schema');
    const events = await testDb().select().from(ticketEvents).where(eq(ticketEvents.ticketId, row!.id));
    const byField = Object.fromEntries(events.map((e) => [e.field, [e.fromValue, e.toValue, e.actorId]]));
    expect(byField).toEqual({
      title: ['Old title', 'New title', user.id],
      status: ['OPEN', 'DONE', user.id],
      priority: ['LOW', 'CRITICAL', user.id],
      assignee: [null, other.user.id, user.id],
      description: ['', null, user.id],
    });
    const view = await (await send(`/p/${project.key}/t/${number}`, { cookie, htmx: true })).text();
    expect(view).toContain('changed assignee from “nobody” to “Other Person”');
    expect(view).toContain('changed status from “Open” to “Done”');
  });

  it('writes no activity when nothing tracked changes', async () => {
    const project = await makeProject();
    const { cookie } = await member(project);
    const number = await fileTicket(project, cookie, { title: 'Same' });
    const res = await send(`/p/${project.key}/t/${number}`, {
      cookie,
      htmx: true,
      form: { title: 'Same', description: '', status: 'OPEN', priority: 'MEDIUM', assignee: '' },
    });
    expect(res.status).toBe(204);
    const { ticketEvents } = await import('../../../src/db/schema');
    const [row] = await ticketsOf(project.id);
    expect(await testDb().select().from(ticketEvents).where(eq(ticketEvents.ticketId, row!.id))).toHaveLength(0);
    expect(counters(await readProject(project.id))).toEqual({ open: 1, inProgress: 0, review: 0, done: 0 });
  });

  it('fills the edit form with the ticket', async () => {
    const project = await makeProject();
    const { cookie } = await member(project);
    const number = await fileTicket(project, cookie, { title: 'Fill me', priority: 'HIGH' });
    const res = await send(`/p/${project.key}/t/${number}/edit`, { cookie, htmx: true });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('value="Fill me"');
    expect(html).toContain('<option value="HIGH" selected="">High</option>');
    expect(html).toContain(`hx-post="/p/${project.key}/t/${number}"`);
  });

  it('refuses a non-member assignee on edit with 422 and changes nothing', async () => {
    const project = await makeProject();
    const { cookie } = await member(project);
    const outsider = await signedIn();
    const number = await fileTicket(project, cookie, { title: 'Keep' });
    const res = await send(`/p/${project.key}/t/${number}`, {
      cookie,
      htmx: true,
      form: { title: 'Changed', status: 'DONE', assignee: outsider.user.id },
    });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Choose a member of the project, or nobody.');
    const [row] = await ticketsOf(project.id);
    expect(row).toMatchObject({ title: 'Keep', status: 'OPEN', assigneeId: null });
    expect(counters(await readProject(project.id))).toEqual({ open: 1, inProgress: 0, review: 0, done: 0 });
  });

  it('answers an edit of a deleted ticket with 404 and a clear message in the modal', async () => {
    const project = await makeProject();
    const { cookie } = await member(project);
    const number = await fileTicket(project, cookie);
    await testDb().delete(tickets).where(eq(tickets.projectId, project.id));
    for (const res of [
      await send(`/p/${project.key}/t/${number}`, { cookie, htmx: true, form: { title: 'Too late' } }),
      await send(`/p/${project.key}/t/${number}/edit`, { cookie, htmx: true }),
    ]) {
      expect(res.status).toBe(404);
      const html = await res.text();
      expect(html).toContain('id="modal-title"');
      expect(html).toContain('This ticket does not exist');
      expect(html).toContain('Close this and refresh the list');
    }
    // On a page of its own there is nothing to close.
    const page = await send(`/p/${project.key}/t/${number}`, { cookie });
    expect(page.status).toBe(404);
    expect(await page.text()).not.toContain('Close this');
  });
});

describe('deleting tickets', () => {
  it('asks for confirmation, then deletes and takes the ticket off its counter', async () => {
    const project = await makeProject();
    const { cookie } = await member(project);
    await fileTicket(project, cookie, { status: 'REVIEW' });
    const confirm = await send(`/p/${project.key}/t/1/delete`, { cookie, htmx: true });
    expect(confirm.status).toBe(200);
    const html = await confirm.text();
    expect(html).toContain('cannot be undone');
    expect(html).toContain(`hx-post="/p/${project.key}/t/1/delete"`);
    expect(await ticketsOf(project.id)).toHaveLength(1);
    const res = await send(`/p/${project.key}/t/1/delete`, { cookie, htmx: true, form: {} });
    expect(res.status).toBe(204);
    expect(JSON.parse(res.headers.get('HX-Trigger')!)).toEqual({
      ticketListUpdated: null,
      ticketDeleted: { url: `/p/${project.key}/t/1`, list: `/p/${project.key}` },
      'modal:close': null,
    });
    expect(await ticketsOf(project.id)).toHaveLength(0);
    expect(counters(await readProject(project.id))).toEqual({ open: 0, inProgress: 0, review: 0, done: 0 });
    const again = await send(`/p/${project.key}/t/1/delete`, { cookie, htmx: true, form: {} });
    expect(again.status).toBe(404);
  });

  it('names the deleted ticket and its list, so its own page can leave for the list', async () => {
    const project = await makeProject();
    const { cookie } = await member(project);
    await fileTicket(project, cookie);
    const res = await send(`/p/${project.key}/t/1/delete`, {
      cookie,
      htmx: true,
      form: {},
      headers: { 'HX-Current-URL': `http://hticket.test/p/${project.key}/t/1` },
    });
    expect(res.status).toBe(204);
    expect(JSON.parse(res.headers.get('HX-Trigger')!).ticketDeleted).toEqual({
      url: `/p/${project.key}/t/1`,
      list: `/p/${project.key}`,
    });
  });
});

describe('plain form posts', () => {
  it('answer with a redirect that says it varies on HX-Request', async () => {
    const project = await makeProject();
    const { cookie } = await member(project);
    await fileTicket(project, cookie);
    const fields = { title: 'Edited', description: '', status: 'OPEN', priority: 'LOW', assignee: '' };
    const answers = {
      create: await send(`/p/${project.key}/t`, { cookie, form: { ...fields, title: 'Plain' } }),
      edit: await send(`/p/${project.key}/t/1`, { cookie, form: fields }),
      status: await send(`/p/${project.key}/t/1/status`, { cookie, form: { status: 'DONE' } }),
      comment: await send(`/p/${project.key}/t/1/comments`, { cookie, form: { body: 'Noted' } }),
      delete: await send(`/p/${project.key}/t/2/delete`, { cookie, form: {} }),
    };
    for (const [label, res] of Object.entries(answers)) {
      expect(res.status, label).toBe(303);
      expect(res.headers.get('Vary') ?? '', label).toContain('HX-Request');
    }
  });
});
