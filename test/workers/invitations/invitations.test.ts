import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { eq, inArray } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { invitations, mailDeliveries, projectMembers, users } from '../../../src/db/schema';
import worker from '../../../src/index';
import { DAY_MS } from '../../../src/invitations/service';
import { makeProject } from '../fixtures';
import { createUser, ORIGIN, roundTrips, send, signedIn, testDb } from '../helpers';
import { deliveriesFor, freshIp, invitationsFor, makeInvitation, tokenOf, uniqueEmail } from './helpers';

afterEach(() => {
  vi.restoreAllMocks();
});

function invite(cookie: string, form: Record<string, string>, opts: { htmx?: boolean } = {}) {
  return send('/invitations', { form, cookie, htmx: opts.htmx ?? true, headers: freshIp() });
}

function manager() {
  return signedIn({ role: 'MANAGER', name: 'Maggie Manager' });
}

function triggers(res: Response): Record<string, unknown> {
  return JSON.parse(res.headers.get('HX-Trigger') ?? '{}') as Record<string, unknown>;
}

describe('the invite modal', () => {
  it('lets a manager choose addresses, a role and a non-archived project', async () => {
    const { cookie } = await manager();
    const open = await makeProject({ name: 'Open Project' });
    const archived = await makeProject({ name: 'Archived Project', archivedAt: Date.now() });
    const res = await send('/invitations/new', { cookie, htmx: true });
    expect(res.status).toBe(200);
    expect(roundTrips(res)).toBe(1);
    const html = await res.text();
    expect(html).not.toContain('<html');
    expect(html).toContain('hx-post="/invitations"');
    expect(html).toContain('name="emails"');
    expect(html).toContain('<option value="MEMBER" selected="">Member</option>');
    expect(html).toContain('<option value="MANAGER">Manager</option>');
    expect(html).toContain(`value="${open.id}"`);
    expect(html).not.toContain(archived.id);
  });

  it('is refused to a member with 403', async () => {
    const { cookie } = await signedIn();
    const res = await send('/invitations/new', { cookie, htmx: true });
    expect(res.status).toBe(403);
  });

  it('opens as a page of its own without htmx', async () => {
    const { cookie } = await manager();
    const res = await send('/invitations/new', { cookie });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^<!doctype html>/);
  });
});

describe('inviting', () => {
  it('creates one invitation per address, stores only the token hash, queues the email and closes the modal', async () => {
    const { user, cookie } = await manager();
    const project = await makeProject();
    const a = uniqueEmail('alpha');
    const b = uniqueEmail('beta');
    const before = Date.now();
    const res = await invite(cookie, {
      emails: `${a.toUpperCase()}\n\n  ${b}  \n${a}\n`,
      role: 'MEMBER',
      project: project.id,
    });
    expect(res.status).toBe(204);
    expect(triggers(res)).toMatchObject({ invitationListUpdated: { target: 'body' }, 'modal:close': null });

    for (const email of [a, b]) {
      const rows = await invitationsFor(email);
      expect(rows).toHaveLength(1);
      const row = rows[0]!;
      expect(row).toMatchObject({ senderId: user.id, projectId: project.id, role: 'MEMBER', deliveryState: 'QUEUED' });
      expect(row.usedAt).toBeNull();
      expect(row.expiresAt - row.createdAt).toBe(7 * DAY_MS);
      expect(row.createdAt).toBeGreaterThanOrEqual(before);
      const token = await tokenOf(row.id);
      expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.tokenHash).not.toBe(token);
      const deliveries = await deliveriesFor(email);
      expect(deliveries).toHaveLength(1);
      expect(deliveries[0]).toMatchObject({ kind: 'invitation', refId: row.id, status: 'QUEUED' });
      expect((await send(`/join/${token}/`, { headers: freshIp() })).status).toBe(200);
    }
  });

  it('sends the queue message naming the invitation and its delivery row, never the token', async () => {
    const { cookie } = await manager();
    const spy = vi.spyOn(env.MAIL_QUEUE, 'send');
    const email = uniqueEmail();
    const res = await invite(cookie, { emails: email, role: 'MEMBER', project: '' });
    expect(res.status).toBe(204);
    const [row] = await invitationsFor(email);
    const [delivery] = await deliveriesFor(email);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy.mock.calls[0]![0]).toEqual({ type: 'invitation', id: row!.id, deliveryId: delivery!.id });
    expect(JSON.stringify(spy.mock.calls)).not.toContain(await tokenOf(row!.id));
  });

  it("takes 50 addresses at once (the limit keeps each statement within D1's 100 bound values)", async () => {
    const { cookie } = await manager();
    const project = await makeProject();
    const existing = await createUser();
    const emails = [
      existing.email,
      ...Array.from({ length: 49 }, (_, i) => `fifty${i}-${crypto.randomUUID().slice(0, 6)}@example.com`),
    ];
    const res = await invite(cookie, { emails: emails.join('\n'), role: 'MEMBER', project: project.id });
    expect(res.status).toBe(200);
    const rows = await testDb()
      .select()
      .from(invitations)
      .where(inArray(invitations.email, emails.slice(1)));
    expect(rows).toHaveLength(49);
  });

  it('makes MANAGER invitations when that role is chosen', async () => {
    const { cookie } = await manager();
    const email = uniqueEmail();
    expect((await invite(cookie, { emails: email, role: 'MANAGER', project: '' })).status).toBe(204);
    expect((await invitationsFor(email))[0]!.role).toBe('MANAGER');
  });

  it('answers a form post without htmx with a redirect to the list', async () => {
    const { cookie } = await manager();
    const res = await invite(cookie, { emails: uniqueEmail(), role: 'MEMBER', project: '' }, { htmx: false });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/invitations');
  });

  it('refuses invalid addresses with 422 in the modal, naming them, and creates nothing at all', async () => {
    const { cookie } = await manager();
    const good = uniqueEmail();
    const res = await invite(cookie, { emails: `${good}\nnot-an-email\nbob@\n`, role: 'MEMBER', project: '' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).not.toContain('<html');
    expect(html).toContain('not-an-email, bob@');
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain(good);
    expect(await invitationsFor(good)).toHaveLength(0);
    expect(await deliveriesFor(good)).toHaveLength(0);
  });

  it('refuses an empty list, more than 50 addresses, an unknown role and a malformed project', async () => {
    const { cookie } = await manager();
    const many = Array.from({ length: 51 }, (_, i) => `many${i}-${crypto.randomUUID().slice(0, 6)}@example.com`);
    const cases = [
      { emails: ' \n ', role: 'MEMBER', project: '' },
      { emails: many.join('\n'), role: 'MEMBER', project: '' },
      { emails: uniqueEmail(), role: 'OWNER', project: '' },
      { emails: uniqueEmail(), role: 'MEMBER', project: 'abc' },
    ];
    for (const form of cases) {
      const res = await invite(cookie, form);
      expect(res.status, JSON.stringify(form).slice(0, 80)).toBe(422);
    }
    const rows = await testDb().select().from(invitations).where(inArray(invitations.email, many));
    expect(rows).toHaveLength(0);
  });

  it('refuses an archived or unknown project with 422', async () => {
    const { cookie } = await manager();
    const archived = await makeProject({ archivedAt: Date.now() });
    const email = uniqueEmail();
    for (const project of [archived.id, crypto.randomUUID()]) {
      const res = await invite(cookie, { emails: email, role: 'MEMBER', project });
      expect(res.status).toBe(422);
      expect(await res.text()).toContain('no longer available');
    }
    expect(await invitationsFor(email)).toHaveLength(0);
  });

  it('is refused to a member with 403, and no invitation or email is made', async () => {
    const { cookie } = await signedIn();
    const spy = vi.spyOn(env.MAIL_QUEUE, 'send');
    const email = uniqueEmail();
    const res = await invite(cookie, { emails: email, role: 'MANAGER', project: '' });
    expect(res.status).toBe(403);
    expect(await invitationsFor(email)).toHaveLength(0);
    expect(await deliveriesFor(email)).toHaveLength(0);
    expect(spy).not.toHaveBeenCalled();
  });

  it('resends the pending invitation instead of adding a second one, and its old link stops working', async () => {
    const { cookie } = await manager();
    const project = await makeProject();
    const email = uniqueEmail();
    await invite(cookie, { emails: email, role: 'MEMBER', project: project.id });
    const [first] = await invitationsFor(email);
    const oldToken = await tokenOf(first!.id);

    const res = await invite(cookie, { emails: email, role: 'MANAGER', project: project.id });
    expect(res.status).toBe(204);
    const rows = await invitationsFor(email);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe(first!.id);
    expect(rows[0]!.role).toBe('MANAGER');
    expect(rows[0]!.expiresAt).toBeGreaterThan(first!.expiresAt);
    expect(await deliveriesFor(email)).toHaveLength(2);
    expect((await send(`/join/${oldToken}/`, { headers: freshIp() })).status).toBe(404);
    expect((await send(`/join/${await tokenOf(first!.id)}/`, { headers: freshIp() })).status).toBe(200);
  });

  it('keeps one pending invitation per address and project: another project is another invitation', async () => {
    const { cookie } = await manager();
    const [p1, p2] = [await makeProject(), await makeProject()];
    const email = uniqueEmail();
    await invite(cookie, { emails: email, role: 'MEMBER', project: p1.id });
    await invite(cookie, { emails: email, role: 'MEMBER', project: p2.id });
    const rows = await invitationsFor(email);
    expect(rows.map((r) => r.projectId).sort()).toEqual([p1.id, p2.id].sort());
  });

  it('adds an existing user to the project without a second account or a password change, and says so', async () => {
    const { cookie } = await manager();
    const project = await makeProject({ name: 'Harbor' });
    const existing = await createUser({ passwordHash: 'kept-as-is' });
    const newcomer = uniqueEmail();
    const res = await invite(cookie, {
      emails: `${existing.email.toUpperCase()}\n${newcomer}`,
      role: 'MANAGER',
      project: project.id,
    });
    expect(res.status).toBe(200);
    const t = triggers(res);
    expect(t).toHaveProperty('invitationListUpdated');
    expect(t).not.toHaveProperty('modal:close');
    const html = await res.text();
    expect(html).toContain('Already had an account — added to Harbor');
    expect(html).toContain(existing.email);
    expect(html).toContain('Invitation sent');
    expect(html).toContain(newcomer);

    const accounts = await testDb().select().from(users).where(eq(users.email, existing.email));
    expect(accounts).toHaveLength(1);
    expect(accounts[0]).toMatchObject({ passwordHash: 'kept-as-is', role: 'MEMBER' });
    expect(await invitationsFor(existing.email)).toHaveLength(0);
    const members = await testDb().select().from(projectMembers).where(eq(projectMembers.userId, existing.id));
    expect(members.map((m) => m.projectId)).toEqual([project.id]);
    const deliveries = await deliveriesFor(existing.email);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ kind: 'added_to_project', refId: existing.id });
    expect(await invitationsFor(newcomer)).toHaveLength(1);
  });

  it('tells the manager when an existing user is already in the project, and sends nothing', async () => {
    const { cookie } = await manager();
    const project = await makeProject();
    const existing = await createUser();
    await testDb().insert(projectMembers).values({ projectId: project.id, userId: existing.id, addedAt: Date.now() });
    const res = await invite(cookie, { emails: existing.email, role: 'MEMBER', project: project.id });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('already in');
    expect(await deliveriesFor(existing.email)).toHaveLength(0);
  });

  it('tells the manager when an address has an account and no project was chosen', async () => {
    const { cookie } = await manager();
    const existing = await createUser();
    const res = await invite(cookie, { emails: existing.email, role: 'MEMBER', project: '' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('nothing to send');
    expect(await invitationsFor(existing.email)).toHaveLength(0);
    expect(await deliveriesFor(existing.email)).toHaveLength(0);
  });

  it('takes the expiry from INVITE_TTL_DAYS', async () => {
    const { cookie } = await manager();
    const email = uniqueEmail();
    const body = new URLSearchParams({ emails: email, role: 'MEMBER', project: '' });
    const request = new Request(`${ORIGIN}/invitations`, {
      method: 'POST',
      body,
      headers: { Origin: ORIGIN, Cookie: cookie, 'HX-Request': 'true', ...freshIp() },
    });
    const ctx = createExecutionContext();
    const res = await worker.fetch(request, { ...env, INVITE_TTL_DAYS: '2' }, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(204);
    const [row] = await invitationsFor(email);
    expect(row!.expiresAt - row!.createdAt).toBe(2 * DAY_MS);
  });
});

describe('the invitations list', () => {
  it('shows pending, used, expired and revoked invitations with their delivery state', async () => {
    const { cookie } = await manager();
    const pending = await makeInvitation();
    const used = await makeInvitation();
    const joiner = await createUser({ name: 'Joined Person' });
    await testDb()
      .update(invitations)
      .set({ usedAt: Date.now(), usedBy: joiner.id, deliveryState: 'SENT' })
      .where(eq(invitations.id, used.row.id));
    const expired = await makeInvitation();
    await testDb()
      .update(invitations)
      .set({ expiresAt: Date.now() - 1000 })
      .where(eq(invitations.id, expired.row.id));
    const revoked = await makeInvitation();
    await testDb()
      .update(invitations)
      .set({ revokedAt: Date.now(), deliveryState: 'FAILED', deliveryError: 'Mailbox does not exist' })
      .where(eq(invitations.id, revoked.row.id));

    const res = await send('/invitations', { cookie });
    expect(res.status).toBe(200);
    expect(roundTrips(res)).toBe(1);
    const html = await res.text();
    const row = (id: string) => new RegExp(`<tr id="invitation-${id}">(.*?)</tr>`).exec(html)?.[1] ?? '';
    expect(row(pending.row.id)).toContain('Pending');
    expect(row(pending.row.id)).toContain('Queued');
    expect(row(pending.row.id)).toContain('Resend');
    expect(row(pending.row.id)).toContain('Revoke');
    expect(row(used.row.id)).toContain('Joined');
    expect(row(used.row.id)).toContain('Joined Person');
    expect(row(used.row.id)).toContain('Sent');
    expect(row(used.row.id)).not.toContain('Resend');
    expect(row(expired.row.id)).toContain('Expired');
    expect(row(expired.row.id)).toContain('Resend');
    expect(row(expired.row.id)).not.toContain('Revoke');
    expect(row(revoked.row.id)).toContain('Revoked');
    expect(row(revoked.row.id)).toContain('Failed');
    expect(row(revoked.row.id)).toContain('Mailbox does not exist');
    expect(html).toContain('hx-trigger="invitationListUpdated from:body"');
  });

  it('serves the list partial that refreshes itself, in one round trip', async () => {
    const { cookie } = await manager();
    const { email } = await makeInvitation();
    const res = await send('/invitations/list', { cookie, htmx: true });
    expect(res.status).toBe(200);
    expect(roundTrips(res)).toBe(1);
    const html = await res.text();
    expect(html).not.toContain('<html');
    expect(html).toContain(email);
  });

  it('pages with a keyset cursor and refuses a malformed one', async () => {
    const { cookie } = await manager();
    // 51 invitations older than any other in this file, read from a cursor just after the newest of them.
    const base = Date.now() - 365 * DAY_MS;
    const rows = Array.from({ length: 51 }, (_, i) => ({
      id: crypto.randomUUID(),
      tokenHash: crypto.randomUUID(),
      email: `page${i}-${crypto.randomUUID().slice(0, 6)}@example.com`,
      expiresAt: base + 7 * DAY_MS,
      createdAt: base + i,
    }));
    const db = testDb();
    await db.batch(rows.map((row) => db.insert(invitations).values(row)) as never);
    const start = `${base + 51}.ffffffff-ffff-4fff-bfff-ffffffffffff`;
    const first = await (await send(`/invitations?before=${start}`, { cookie })).text();
    expect(first).toContain(rows[50]!.email);
    expect(first).not.toContain(rows[0]!.email);
    const next = /href="\/invitations\?before=([^"]+)"/.exec(first);
    expect(next).not.toBeNull();
    const older = await send(`/invitations?before=${next![1]}`, { cookie });
    expect(older.status).toBe(200);
    const html = await older.text();
    expect(html).toContain(rows[0]!.email);
    expect(html).not.toContain(rows[1]!.email);
    expect(html).toContain('Newest');
    expect((await send('/invitations?before=nonsense', { cookie })).status).toBe(404);
  });

  it('is refused to a member with 403, page and partial alike', async () => {
    const { cookie } = await signedIn();
    expect((await send('/invitations', { cookie })).status).toBe(403);
    expect((await send('/invitations/list', { cookie, htmx: true })).status).toBe(403);
  });
});

describe('resend and revoke', () => {
  it('resend gives a fresh link and expiry, voids the old link, queues the email and answers the row', async () => {
    const { cookie } = await manager();
    const { row, token, email } = await makeInvitation();
    await testDb()
      .update(invitations)
      .set({ deliveryState: 'FAILED', deliveryError: 'bounced' })
      .where(eq(invitations.id, row.id));
    const res = await send(`/invitations/${row.id}/resend`, { cookie, htmx: true, method: 'POST', headers: freshIp() });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(new RegExp(`^<tr id="invitation-${row.id}">`));
    expect(html).toContain('Queued');

    const [after] = await invitationsFor(email);
    expect(after!.expiresAt).toBeGreaterThan(row.expiresAt);
    expect(after!.tokenHash).not.toBe(row.tokenHash);
    expect(after!.deliveryError).toBeNull();
    expect(await deliveriesFor(email)).toHaveLength(2);
    expect((await send(`/join/${token}/`, { headers: freshIp() })).status).toBe(404);
    expect((await send(`/join/${await tokenOf(row.id)}/`, { headers: freshIp() })).status).toBe(200);
  });

  it('resend revives an expired invitation', async () => {
    const { cookie } = await manager();
    const { row } = await makeInvitation({ now: Date.now() - 8 * DAY_MS });
    const res = await send(`/invitations/${row.id}/resend`, { cookie, htmx: true, method: 'POST', headers: freshIp() });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Pending');
    expect((await send(`/join/${await tokenOf(row.id)}/`, { headers: freshIp() })).status).toBe(200);
  });

  it('revoke stops the link and answers the row', async () => {
    const { cookie } = await manager();
    const { row, token } = await makeInvitation();
    const res = await send(`/invitations/${row.id}/revoke`, { cookie, htmx: true, method: 'POST' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Revoked');
    expect(html).not.toContain('Resend');
    expect((await send(`/join/${token}/`, { headers: freshIp() })).status).toBe(410);
  });

  it('refuses to resend or revoke a used invitation (409) and leaves it alone', async () => {
    const { cookie } = await manager();
    const { row, email } = await makeInvitation();
    const joiner = await createUser();
    await testDb().update(invitations).set({ usedAt: Date.now(), usedBy: joiner.id }).where(eq(invitations.id, row.id));
    for (const action of ['resend', 'revoke']) {
      const res = await send(`/invitations/${row.id}/${action}`, {
        cookie,
        htmx: true,
        method: 'POST',
        headers: freshIp(),
      });
      expect(res.status).toBe(409);
      expect(await res.text()).toContain('Joined');
    }
    const [after] = await invitationsFor(email);
    expect(after!.revokedAt).toBeNull();
    expect(after!.tokenHash).toBe(row.tokenHash);
    expect(await deliveriesFor(email)).toHaveLength(1);
  });

  it('asks first without JavaScript: the Revoke button opens a page that changes nothing, whose form revokes', async () => {
    const { cookie } = await manager();
    const { row, email } = await makeInvitation();
    const list = await (await send('/invitations', { cookie })).text();
    // The row's form, submitted without htmx, is a GET of the question.
    expect(list).toContain(`method="get" action="/invitations/${row.id}/revoke"`);
    const page = await send(`/invitations/${row.id}/revoke`, { cookie });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`Revoke the invitation for ${email}?`);
    expect(html).toMatch(new RegExp(`<form method="post" action="/invitations/${row.id}/revoke"`));
    expect(html).toMatch(/<a href="\/invitations" role="button" class="secondary" autofocus="">Cancel<\/a>/);
    expect((await invitationsFor(email))[0]!.revokedAt).toBeNull();
    const revoked = await send(`/invitations/${row.id}/revoke`, { cookie, method: 'POST' });
    expect(revoked.status).toBe(303);
    expect((await invitationsFor(email))[0]!.revokedAt).not.toBeNull();
    // Asked again once it is revoked: back to the list, which says so.
    const again = await send(`/invitations/${row.id}/revoke`, { cookie });
    expect(again.status).toBe(303);
    expect(again.headers.get('Location')).toBe('/invitations');
    // A member may not even ask; an unknown id is 404.
    const member = await signedIn();
    expect((await send(`/invitations/${row.id}/revoke`, { cookie: member.cookie })).status).toBe(403);
    expect((await send(`/invitations/${crypto.randomUUID()}/revoke`, { cookie })).status).toBe(404);
  });

  it('redirects to the list without htmx', async () => {
    const { cookie } = await manager();
    const { row } = await makeInvitation();
    const res = await send(`/invitations/${row.id}/revoke`, { cookie, method: 'POST' });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/invitations');
  });

  it('are refused to a member (403) and answer 404 for unknown or malformed ids', async () => {
    const member = await signedIn();
    const { cookie } = await manager();
    const { row, email } = await makeInvitation();
    for (const action of ['resend', 'revoke']) {
      const path = `/invitations/${row.id}/${action}`;
      expect((await send(path, { cookie: member.cookie, htmx: true, method: 'POST', headers: freshIp() })).status).toBe(
        403,
      );
      expect(
        (await send(`/invitations/${crypto.randomUUID()}/${action}`, { cookie, method: 'POST', headers: freshIp() }))
          .status,
      ).toBe(404);
      expect((await send(`/invitations/abc/${action}`, { cookie, method: 'POST', headers: freshIp() })).status).toBe(
        404,
      );
    }
    const [after] = await invitationsFor(email);
    expect(after!.revokedAt).toBeNull();
    expect(await deliveriesFor(email)).toHaveLength(1);
  });
});

describe('the link of an invitation whose email failed', () => {
  it('is shown to a manager for a pending invitation with a failed delivery, and works', async () => {
    const { cookie } = await manager();
    const { row } = await makeInvitation();
    await testDb()
      .update(invitations)
      .set({ deliveryState: 'FAILED', deliveryError: '550 no such user' })
      .where(eq(invitations.id, row.id));
    const list = await (await send('/invitations', { cookie })).text();
    expect(list).toContain(`hx-get="/invitations/${row.id}/link"`);

    const res = await send(`/invitations/${row.id}/link`, { cookie, htmx: true });
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store, private');
    expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
    const html = await res.text();
    const link = /value="(http:\/\/hticket\.test\/join\/[0-9a-f-]{36}\/)"/.exec(html)?.[1];
    expect(link).toBe(`http://hticket.test/join/${await tokenOf(row.id)}/`);
    expect(html).toContain('data-copy=');
    expect((await send(new URL(link!).pathname, { headers: freshIp() })).status).toBe(200);
  });

  it('is not shown while delivery has not failed, nor to a member', async () => {
    const { cookie } = await manager();
    const member = await signedIn();
    const { row } = await makeInvitation();
    expect((await send(`/invitations/${row.id}/link`, { cookie, htmx: true })).status).toBe(404);
    await testDb().update(invitations).set({ deliveryState: 'FAILED' }).where(eq(invitations.id, row.id));
    expect((await send(`/invitations/${row.id}/link`, { cookie: member.cookie, htmx: true })).status).toBe(403);
  });
});

describe('mail deliveries', () => {
  it('records one delivery per email, addressed to the invitee', async () => {
    const { cookie } = await manager();
    const email = uniqueEmail();
    await invite(cookie, { emails: email, role: 'MEMBER', project: '' });
    const rows = await testDb().select().from(mailDeliveries).where(eq(mailDeliveries.recipient, email));
    expect(rows.map((r) => r.kind)).toEqual(['invitation']);
  });
});
