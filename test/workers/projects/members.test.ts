import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { env } from 'cloudflare:workers';
import { mailDeliveries } from '../../../src/db/schema';
import { addMember, makeProject } from '../fixtures';
import { createUser, roundTrips, send, signedIn, testDb } from '../helpers';
import { memberIds, triggers } from './fixtures';

afterEach(() => vi.restoreAllMocks());

describe('project members', () => {
  it('lists members with Remove buttons and offers the other active users', async () => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const alice = await createUser({ name: 'Alice Member' });
    const bob = await createUser({ name: 'Bob Outsider' });
    const gone = await createUser({ name: 'Gone User', disabledAt: Date.now() });
    const project = await makeProject({}, [alice]);
    const res = await send(`/p/${project.key}/members`, { cookie, htmx: true });
    expect(res.status).toBe(200);
    expect(roundTrips(res)).toBe(1);
    const html = await res.text();
    expect(html).not.toContain('<html');
    const list = html.split('class="add-member"')[0]!;
    const add = html.split('class="add-member"')[1]!;
    expect(list).toContain('Alice Member');
    expect(list).toContain(alice.email);
    // Remove opens a confirmation; nothing in the list posts a removal.
    expect(list).toContain(`hx-get="/p/${project.key}/members/${alice.id}/remove"`);
    expect(html).not.toContain(`hx-post="/p/${project.key}/members/${alice.id}/remove"`);
    expect(add).toContain(`<option value="${bob.id}">Bob Outsider (${bob.email})</option>`);
    expect(add).not.toContain(alice.id);
    expect(add).not.toContain(gone.id);
    expect(await (await send(`/p/${project.key}/members`, { cookie })).text()).toContain('<html');
  });

  it('adds a member, re-renders the modal and queues the added-to-project email', async () => {
    const send$ = vi.spyOn(env.MAIL_QUEUE, 'send');
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const carol = await createUser({ name: 'Carol New' });
    const project = await makeProject();
    const res = await send(`/p/${project.key}/members`, { cookie, htmx: true, form: { userId: carol.id } });
    expect(res.status).toBe(200);
    expect(roundTrips(res)).toBe(1);
    expect(triggers(res)).toMatchObject({ memberListUpdated: { target: 'body' } });
    const html = await res.text();
    expect(html.split('class="add-member"')[0]).toContain('Carol New');
    expect(await memberIds(project)).toEqual([carol.id]);
    const deliveries = await testDb().select().from(mailDeliveries).where(eq(mailDeliveries.refId, carol.id));
    expect(deliveries).toMatchObject([{ kind: 'added_to_project', recipient: carol.email, status: 'QUEUED' }]);
    expect(send$).toHaveBeenCalledWith(
      { type: 'added_to_project', id: carol.id, projectId: project.id, deliveryId: deliveries[0]!.id },
      { contentType: 'json' },
    );
    // Adding again changes nothing and sends no second email.
    const again = await send(`/p/${project.key}/members`, { cookie, htmx: true, form: { userId: carol.id } });
    expect(again.status).toBe(200);
    expect(await testDb().select().from(mailDeliveries).where(eq(mailDeliveries.refId, carol.id))).toHaveLength(1);
  });

  it('redirects back to the members page after a plain form post', async () => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const dave = await createUser();
    const project = await makeProject();
    const res = await send(`/p/${project.key}/members`, { cookie, form: { userId: dave.id } });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(`/p/${project.key}/members`);
    expect(await memberIds(project)).toEqual([dave.id]);
  });

  it.each([
    ['an empty choice', ''],
    ['a malformed id', 'not-a-uuid'],
    ['an unknown user', '00000000-0000-4000-8000-000000000000'],
  ])('refuses %s with 422 next to the select and adds nobody', async (_label, userId) => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    await createUser();
    const project = await makeProject();
    const res = await send(`/p/${project.key}/members`, { cookie, htmx: true, form: { userId } });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('<small id="userId-error" class="field-error" role="alert">');
    expect(await memberIds(project)).toEqual([]);
  });

  it('refuses to add a disabled user', async () => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const disabled = await createUser({ disabledAt: Date.now() });
    const project = await makeProject();
    const res = await send(`/p/${project.key}/members`, { cookie, htmx: true, form: { userId: disabled.id } });
    expect(res.status).toBe(422);
    expect(await memberIds(project)).toEqual([]);
  });

  it('removes a member, who loses access on their next request', async () => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const member = await signedIn();
    const project = await makeProject({ name: 'Was Mine' }, [member.user]);
    expect(await (await send('/', { cookie: member.cookie })).text()).toContain('Was Mine');
    expect((await send(`/p/${project.key}/settings`, { cookie: member.cookie, htmx: true })).status).toBe(403);

    const res = await send(`/p/${project.key}/members/${member.user.id}/remove`, { cookie, htmx: true, form: {} });
    expect(res.status).toBe(200);
    expect(roundTrips(res)).toBe(1);
    expect(triggers(res)).toMatchObject({ memberListUpdated: { target: 'body' } });
    expect((await res.text()).split('class="add-member"')[1]).toContain(`value="${member.user.id}"`);
    expect(await memberIds(project)).toEqual([]);

    expect(await (await send('/', { cookie: member.cookie })).text()).not.toContain('Was Mine');
    for (const path of ['', '/settings', '/members', '/delete']) {
      const after = await send(`/p/${project.key}${path}`, { cookie: member.cookie, htmx: true });
      expect(after.status, path).toBe(404);
    }
  });

  it('asks before removing: the confirmation names the member, starts on Cancel and removes nothing', async () => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const alice = await createUser({ name: 'Alice Stays' });
    const project = await makeProject({ name: 'Kept' }, [alice]);
    const path = `/p/${project.key}/members/${alice.id}/remove`;
    const res = await send(path, { cookie, htmx: true });
    expect(res.status).toBe(200);
    expect(roundTrips(res)).toBe(1);
    const html = await res.text();
    expect(html).toContain('Remove Alice Stays?');
    expect(html).toContain(`hx-post="${path}"`);
    // The safe choice takes the focus and leads back to the list.
    expect(html).toMatch(new RegExp(`<a href="/p/${project.key}/members"[^>]*autofocus[^>]*>Cancel</a>`));
    expect(await memberIds(project)).toEqual([alice.id]);
    // Without JavaScript the same address is a page of its own with the same form.
    const page = await (await send(path, { cookie })).text();
    expect(page).toContain('<html');
    expect(page).toContain(`action="${path}"`);
    // Someone who is not (or no longer) a member: the list, not a confirmation.
    const bob = await createUser({ name: 'Bob Outside' });
    const gone = await (await send(`/p/${project.key}/members/${bob.id}/remove`, { cookie, htmx: true })).text();
    expect(gone).not.toContain('Remove Bob Outside?');
    expect(gone).toContain('class="add-member"');
  });

  it('lets a manager remove themself; they still see the project as a manager', async () => {
    const { user, cookie } = await signedIn({ role: 'MANAGER' });
    const project = await makeProject({}, [user]);
    const res = await send(`/p/${project.key}/members/${user.id}/remove`, { cookie, htmx: true, form: {} });
    expect(res.status).toBe(200);
    expect(await memberIds(project)).toEqual([]);
    expect((await send(`/p/${project.key}/members`, { cookie, htmx: true })).status).toBe(200);
  });

  it('answers 404 for a malformed user id in the remove URL', async () => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const member = await createUser();
    const project = await makeProject({}, [member]);
    const res = await send(`/p/${project.key}/members/not-a-uuid/remove`, { cookie, htmx: true, form: {} });
    expect(res.status).toBe(404);
    expect(await memberIds(project)).toEqual([member.id]);
  });

  it('leaves other projects’ memberships alone when removing by a forged pair', async () => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const member = await createUser();
    const theirs = await makeProject({}, [member]);
    const other = await makeProject();
    await addMember(other, await createUser());
    const res = await send(`/p/${other.key}/members/${member.id}/remove`, { cookie, htmx: true, form: {} });
    expect(res.status).toBe(200);
    expect(await memberIds(theirs)).toEqual([member.id]);
  });
});
