import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { comments, invitations, projects, ticketEvents, tickets } from '../../../src/db/schema';
import { makeProject, uniqueKey } from '../fixtures';
import { roundTrips, send, signedIn, testDb } from '../helpers';
import { addTickets, memberIds, projectByKey, triggers } from './fixtures';

describe('creating a project', () => {
  it('shows the form as a modal partial and as a full page', async () => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const partial = await send('/projects/new', { cookie, htmx: true });
    expect(partial.status).toBe(200);
    const html = await partial.text();
    expect(html).not.toContain('<html');
    expect(html).toContain('id="modal-title"');
    expect(html).toContain('hx-post="/projects"');
    expect(html).toContain('<h2 id="modal-title">New project</h2>');
    const page = await send('/projects/new', { cookie });
    const pageHtml = await page.text();
    expect(pageHtml).toMatch(/<html[\s\S]*action="\/projects"/);
    // On its own page the title is the h1, and #modal-title stays free for a dialog opened from there.
    expect(pageHtml).toContain('<h1 id="page-title">New project</h1>');
    expect(pageHtml).not.toContain('id="modal-title"');
  });

  it('creates the project with the creator as member: 204, list refresh and modal close', async () => {
    const { user, cookie } = await signedIn({ role: 'MANAGER' });
    const key = uniqueKey();
    const res = await send('/projects', { cookie, htmx: true, form: { name: ' Nexus ', key, description: 'Rockets' } });
    expect(res.status).toBe(204);
    expect(roundTrips(res)).toBe(1);
    expect(triggers(res)).toEqual({ projectListUpdated: null, 'modal:close': null });
    const project = await projectByKey(key);
    expect(project).toMatchObject({ name: 'Nexus', description: 'Rockets', createdBy: user.id, archivedAt: null });
    expect(await memberIds(project!)).toEqual([user.id]);
  });

  it('upper-cases a lower-case key', async () => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const key = uniqueKey();
    const res = await send('/projects', { cookie, htmx: true, form: { name: 'Lower', key: key.toLowerCase() } });
    expect(res.status).toBe(204);
    expect((await projectByKey(key))?.name).toBe('Lower');
  });

  it('redirects to the project after a plain form post', async () => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const key = uniqueKey();
    const res = await send('/projects', { cookie, form: { name: 'No JS', key, description: '' } });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(`/p/${key}`);
  });

  it.each([
    [{ name: '', key: 'ABC' }, 'name', 'Give the project a name.'],
    [{ name: '   ', key: 'ABC' }, 'name', 'Give the project a name.'],
    [{ name: 'x'.repeat(81), key: 'ABC' }, 'name', '80 characters or fewer'],
    [{ name: 'Ok', key: 'A' }, 'key', '2 to 6 letters'],
    [{ name: 'Ok', key: 'ABCDEFG' }, 'key', '2 to 6 letters'],
    [{ name: 'Ok', key: 'AB1' }, 'key', '2 to 6 letters'],
    [{ name: 'Ok', key: 'ÄBC' }, 'key', '2 to 6 letters'],
    [{ name: 'Ok' }, 'key', '2 to 6'],
    [{ name: 'Ok', key: 'ABC', description: 'd'.repeat(2001) }, 'description', '2000 characters'],
  ])('refuses %j with 422, the message next to the field and the values kept', async (form, field, message) => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const res = await send('/projects', { cookie, htmx: true, form: form as Record<string, string> });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).not.toContain('<html');
    expect(html).toMatch(new RegExp(`<small id="${field}-error" class="field-error" role="alert">[^<]*${message}`));
    expect(html).toMatch(new RegExp(`aria-describedby="${field}-error[ "]`));
    if ((form as Record<string, string>).name === 'Ok') expect(html).toContain('value="Ok"');
    const key = (form as Record<string, string>).key;
    if (key && key !== 'ABC') expect(await projectByKey(key.toUpperCase())).toBeUndefined();
  });

  it('refuses a key already in use with 422 at the key field and creates nothing', async () => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const existing = await makeProject({ name: 'First' });
    const res = await send('/projects', {
      cookie,
      htmx: true,
      form: { name: 'Second', key: existing.key.toLowerCase(), description: 'kept' },
    });
    expect(res.status).toBe(422);
    expect(roundTrips(res)).toBe(1);
    const html = await res.text();
    expect(html).toMatch(/<small id="key-error"[^>]*>The key [A-Z]+ is already used/);
    expect(html).toContain('value="Second"');
    expect(html).toContain('>kept</textarea>');
    expect((await projectByKey(existing.key))?.name).toBe('First');
    const count = await testDb().select({ id: projects.id }).from(projects).where(eq(projects.name, 'Second'));
    expect(count).toHaveLength(0);
  });

  it('refuses a member with 403 and creates nothing', async () => {
    const { cookie } = await signedIn();
    expect((await send('/projects/new', { cookie, htmx: true })).status).toBe(403);
    const key = uniqueKey();
    const res = await send('/projects', { cookie, htmx: true, form: { name: 'Mine now', key } });
    expect(res.status).toBe(403);
    expect(await projectByKey(key)).toBeUndefined();
    expect((await send('/projects', { cookie, htmx: true, form: { name: '', key } })).status).toBe(403);
  });
});

describe('project settings', () => {
  it('shows the edit form with the key read-only, as a modal and as a page', async () => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const project = await makeProject({ name: 'Editable', description: 'Before' });
    const res = await send(`/p/${project.key}/settings`, { cookie, htmx: true });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('value="Editable"');
    expect(html).toMatch(new RegExp(`name="key-display"[^>]*value="${project.key}"[^>]*readonly`));
    expect(html).toContain(`hx-post="/p/${project.key}/archive"`);
    expect(html).toContain(`hx-get="/p/${project.key}/delete"`);
    expect(await (await send(`/p/${project.key}/settings`, { cookie })).text()).toContain('<html');
  });

  it('saves name and description and leaves the key alone', async () => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const project = await makeProject({ name: 'Old name' });
    const res = await send(`/p/${project.key}/settings`, {
      cookie,
      htmx: true,
      form: { name: 'New name', description: 'Now described', key: 'ZZZZ' },
    });
    expect(res.status).toBe(204);
    expect(roundTrips(res)).toBe(1);
    expect(triggers(res)).toMatchObject({ projectListUpdated: null, 'modal:close': null });
    expect(await projectByKey(project.key)).toMatchObject({ name: 'New name', description: 'Now described' });
    const plain = await send(`/p/${project.key}/settings`, { cookie, form: { name: 'Plain', description: '' } });
    expect(plain.status).toBe(303);
    expect(plain.headers.get('Location')).toBe(`/p/${project.key}`);
  });

  it('re-renders with 422 for an empty name and changes nothing', async () => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const project = await makeProject({ name: 'Stays' });
    const res = await send(`/p/${project.key}/settings`, {
      cookie,
      htmx: true,
      form: { name: '', description: 'typed text' },
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Give the project a name.');
    expect(html).toContain('>typed text</textarea>');
    expect((await projectByKey(project.key))?.name).toBe('Stays');
  });

  it('archives and unarchives', async () => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const project = await makeProject();
    const res = await send(`/p/${project.key}/archive`, { cookie, htmx: true, form: {} });
    expect(res.status).toBe(204);
    expect(triggers(res)).toMatchObject({ projectListUpdated: null, 'modal:close': null });
    const archivedAt = (await projectByKey(project.key))?.archivedAt;
    expect(archivedAt).toBeGreaterThan(0);
    const settings = await (await send(`/p/${project.key}/settings`, { cookie, htmx: true })).text();
    expect(settings).toContain('Unarchive project');
    expect((await send(`/p/${project.key}/archive`, { cookie, htmx: true, form: {} })).status).toBe(204);
    expect((await projectByKey(project.key))?.archivedAt).toBe(archivedAt);
    expect((await send(`/p/${project.key}/unarchive`, { cookie, htmx: true, form: {} })).status).toBe(204);
    expect((await projectByKey(project.key))?.archivedAt).toBeNull();
  });
});

describe('deleting a project', () => {
  it('names the project and how many tickets go with it', async () => {
    const { user, cookie } = await signedIn({ role: 'MANAGER' });
    const project = await makeProject({ name: 'Doomed' });
    await addTickets(project, ['OPEN', 'DONE', 'REVIEW'], user);
    const res = await send(`/p/${project.key}/delete`, { cookie, htmx: true });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<strong>Doomed</strong>');
    expect(html).toContain(`(${project.key})`);
    expect(html).toContain('<strong>3 tickets</strong>');
    expect(html).toContain(`Type ${project.key} to confirm`);
  });

  it('refuses without the typed key and deletes nothing', async () => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const project = await makeProject();
    const res = await send(`/p/${project.key}/delete`, { cookie, htmx: true, form: { confirmKey: 'NOPE' } });
    expect(res.status).toBe(422);
    expect(await res.text()).toMatch(/<small id="confirmKey-error"[^>]*>Type [A-Z]+ exactly/);
    expect(await projectByKey(project.key)).toBeDefined();
  });

  it('deletes the project with its tickets, comments, events and memberships', async () => {
    const { user, cookie } = await signedIn({ role: 'MANAGER' });
    const member = (await signedIn()).user;
    const project = await makeProject({}, [user, member]);
    const ticketIds = await addTickets(project, ['OPEN', 'IN_PROGRESS'], user);
    const db = testDb();
    const invitationId = crypto.randomUUID();
    await db.insert(invitations).values({
      id: invitationId,
      tokenHash: crypto.randomUUID(),
      email: 'later@example.com',
      projectId: project.id,
      expiresAt: Date.now() + 1000,
      createdAt: Date.now(),
    });
    const res = await send(`/p/${project.key}/delete`, {
      cookie,
      htmx: true,
      form: { confirmKey: project.key.toLowerCase() },
    });
    expect(res.status).toBe(204);
    expect(roundTrips(res)).toBe(1);
    expect(res.headers.get('HX-Redirect')).toBe('/');
    expect(triggers(res)).toMatchObject({ 'modal:close': null });
    expect(await projectByKey(project.key)).toBeUndefined();
    expect(await memberIds(project)).toEqual([]);
    expect(await db.select().from(tickets).where(eq(tickets.projectId, project.id))).toEqual([]);
    for (const id of ticketIds) {
      expect(await db.select().from(comments).where(eq(comments.ticketId, id))).toEqual([]);
      expect(await db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, id))).toEqual([]);
    }
    const [invitation] = await db.select().from(invitations).where(eq(invitations.id, invitationId));
    expect(invitation?.projectId).toBeNull();
    expect((await send(`/p/${project.key}/settings`, { cookie })).status).toBe(404);
  });

  it('redirects home after a plain form post', async () => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const project = await makeProject();
    const res = await send(`/p/${project.key}/delete`, { cookie, form: { confirmKey: project.key } });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/');
  });

  it('relies on a database that enforces foreign keys (D1 does)', async () => {
    const { user } = await signedIn({ role: 'MANAGER' });
    const project = await makeProject();
    const [ticketId] = await addTickets(project, ['OPEN'], user);
    const db = testDb();
    await db.delete(projects).where(eq(projects.id, project.id));
    expect(await db.select().from(tickets).where(eq(tickets.id, ticketId!))).toEqual([]);
    expect(await db.select().from(comments).where(eq(comments.ticketId, ticketId!))).toEqual([]);
  });
});

describe('the modal contract', () => {
  it('sends Vary: HX-Request on every answer that branches on it', async () => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const project = await makeProject({ name: 'Varied' });
    const member = await signedIn();
    const answers = {
      'form partial': await send('/projects/new', { cookie, htmx: true }),
      'form page': await send('/projects/new', { cookie }),
      '422 partial': await send('/projects', { cookie, htmx: true, form: { name: '', key: 'AB' } }),
      '204 done': await send(`/p/${project.key}/settings`, {
        cookie,
        htmx: true,
        form: { name: 'V', description: '' },
      }),
      '303 done': await send(`/p/${project.key}/settings`, { cookie, form: { name: 'V', description: '' } }),
      'members re-render': await send(`/p/${project.key}/members`, {
        cookie,
        htmx: true,
        form: { userId: member.user.id },
      }),
      '403 partial': await send('/projects/new', { cookie: member.cookie, htmx: true }),
      '404 page': await send('/p/NOSUCH/settings', { cookie }),
    };
    for (const [label, res] of Object.entries(answers)) {
      expect(res.headers.get('Vary') ?? '', label).toContain('HX-Request');
    }
  });
});
