import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { comments, invitations, projects, tickets, users } from '../../../src/db/schema';
import { NUL_MESSAGE } from '../../../src/web/forms';
import { PASSWORD, freshIp, userWithPassword } from '../accounts/account-helpers';
import { makeProject, uniqueKey } from '../fixtures';
import { send, sessionCookieFor, signedIn, testDb } from '../helpers';
import { makeInvitation, uniqueEmail } from '../invitations/helpers';
import { fileTicket, ticketsOf } from '../tickets/fixtures';

/** The NUL character: PostgreSQL text cannot hold it, so every backend refuses it in the same words. */
const NUL = '\u0000';
const ip = () => ({ 'CF-Connecting-IP': freshIp() });

/** A 422 whose form shows NUL_MESSAGE next to `field` (the error element is tied to that field's name). */
async function expectNulRefused(res: Response, field: string) {
  expect(res.status, field).toBe(422);
  const html = await res.text();
  expect(html, field).toMatch(new RegExp(`id="${field}-error"[^>]*>[^<]*${NUL_MESSAGE.replace(/[()+.]/g, '\\$&')}`));
  expect(html, field).not.toContain(NUL);
}

describe('the NUL character in a form field', () => {
  it('is refused next to each field of the project forms, and nothing is written', async () => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const project = await makeProject({ name: 'Intact', description: 'as it was' });
    const newKey = uniqueKey();
    const create = { name: 'Created', key: newKey, description: '' };
    for (const field of ['name', 'key', 'description'] as const) {
      const res = await send('/projects', { cookie, htmx: true, form: { ...create, [field]: `a${NUL}b` } });
      await expectNulRefused(res, field);
    }
    for (const field of ['name', 'description'] as const) {
      const form = { name: 'Renamed', description: 'changed', [field]: `x${NUL}` };
      await expectNulRefused(await send(`/p/${project.key}/settings`, { cookie, htmx: true, form }), field);
    }
    const deleting = await send(`/p/${project.key}/delete`, {
      cookie,
      htmx: true,
      form: { confirmKey: `${project.key}${NUL}` },
    });
    expect(deleting.status).toBe(422);
    const adding = await send(`/p/${project.key}/members`, { cookie, htmx: true, form: { userId: NUL } });
    expect(adding.status).toBe(422);

    expect(await testDb().select().from(projects).where(eq(projects.key, newKey))).toHaveLength(0);
    const [row] = await testDb().select().from(projects).where(eq(projects.id, project.id));
    expect(row).toMatchObject({ name: 'Intact', description: 'as it was', archivedAt: null });
  });

  it('is refused next to each field of the ticket and comment forms, and nothing is written', async () => {
    const { user, cookie } = await signedIn({ role: 'MANAGER' });
    const project = await makeProject({}, [user]);
    const number = await fileTicket(project, cookie, { title: 'Kept', description: 'kept' });
    const ticket = { title: 'T', description: '', status: 'OPEN', priority: 'MEDIUM', assignee: '' };
    for (const field of ['title', 'description'] as const) {
      const form = { ...ticket, [field]: `x${NUL}y` };
      await expectNulRefused(await send(`/p/${project.key}/t`, { cookie, htmx: true, form }), field);
      await expectNulRefused(await send(`/p/${project.key}/t/${number}`, { cookie, htmx: true, form }), field);
    }
    for (const field of ['status', 'priority', 'assignee'] as const) {
      const res = await send(`/p/${project.key}/t`, { cookie, htmx: true, form: { ...ticket, [field]: NUL } });
      expect(res.status, field).toBe(422);
    }
    const comment = await send(`/p/${project.key}/t/${number}/comments`, {
      cookie,
      htmx: true,
      form: { body: `hello${NUL}` },
    });
    await expectNulRefused(comment, 'body');
    const status = await send(`/p/${project.key}/t/${number}/status`, { cookie, htmx: true, form: { status: NUL } });
    expect(status.status).toBe(422);
    const preview = await send(`/p/${project.key}/preview`, { cookie, htmx: true, form: { text: `a${NUL}` } });
    expect(preview.status).toBe(422);

    const rows = await ticketsOf(project.id);
    expect(rows.map((t) => [t.title, t.description, t.status])).toEqual([['Kept', 'kept', 'OPEN']]);
    expect(await testDb().select().from(comments).where(eq(comments.ticketId, rows[0]!.id))).toHaveLength(0);
  });

  it('is refused next to each field of the account forms, and nothing changes', async () => {
    const user = await userWithPassword({ name: 'Unchanged' });
    const signIn = (form: Record<string, string>) => send('/login', { form, headers: ip() });
    await expectNulRefused(await signIn({ email: `${user.email}${NUL}`, password: PASSWORD }), 'email');
    await expectNulRefused(await signIn({ email: user.email, password: `${PASSWORD}${NUL}` }), 'password');
    await expectNulRefused(
      await send('/password-reset', { form: { email: `a${NUL}@example.com` }, headers: ip() }),
      'email',
    );
    const reset = { new_password: 'a brand new passphrase', confirm_password: 'a brand new passphrase' };
    for (const field of ['new_password', 'confirm_password'] as const) {
      const res = await send(`/password-reset/${crypto.randomUUID()}/`, {
        form: { ...reset, [field]: `${reset[field]}${NUL}` },
        headers: ip(),
      });
      await expectNulRefused(res, field);
    }

    const cookie = await sessionCookieFor(user);
    await expectNulRefused(await send('/profile', { cookie, htmx: true, form: { name: `Re${NUL}named` } }), 'name');
    const change = { current_password: PASSWORD, new_password: 'another long passphrase', confirm_password: '' };
    change.confirm_password = change.new_password;
    for (const field of ['current_password', 'new_password', 'confirm_password'] as const) {
      const res = await send('/profile/password', {
        cookie,
        htmx: true,
        form: { ...change, [field]: `${change[field]}${NUL}` },
        headers: ip(),
      });
      await expectNulRefused(res, field);
    }
    const [row] = await testDb().select().from(users).where(eq(users.id, user.id));
    expect(row).toMatchObject({ name: 'Unchanged', passwordHash: user.passwordHash });
  });

  it('is refused next to the invite and join fields, and nobody is invited or joins', async () => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const email = uniqueEmail();
    const invite = await send('/invitations', {
      cookie,
      htmx: true,
      form: { emails: `${email}${NUL}`, role: 'MEMBER', project: '' },
      headers: ip(),
    });
    await expectNulRefused(invite, 'emails');
    expect(await testDb().select().from(invitations).where(eq(invitations.email, email))).toHaveLength(0);

    const { token, row } = await makeInvitation();
    const join = { name: 'New Person', password: 'a long enough passphrase', confirm: 'a long enough passphrase' };
    for (const field of ['name', 'password', 'confirm'] as const) {
      const res = await send(`/join/${token}/`, { form: { ...join, [field]: `${join[field]}${NUL}` }, headers: ip() });
      await expectNulRefused(res, field);
    }
    const [after] = await testDb().select().from(invitations).where(eq(invitations.id, row.id));
    expect(after!.usedAt).toBeNull();
  });
});

describe('the NUL character in a query', () => {
  it('is dropped from the search box and the filters, never a 500', async () => {
    const { user, cookie } = await signedIn({ role: 'MANAGER' });
    const project = await makeProject({}, [user]);
    await fileTicket(project, cookie, { title: 'Find me' });
    const res = await send(`/p/${project.key}/tickets?q=Find${encodeURIComponent(NUL)}%20me`, { cookie, htmx: true });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Find me');
    for (const query of ['status', 'priority', 'assignee', 'sort', 'after']) {
      const filtered = await send(`/p/${project.key}/tickets?${query}=${encodeURIComponent(NUL)}`, {
        cookie,
        htmx: true,
      });
      expect(filtered.status, query).toBe(200);
      expect(await filtered.text(), query).toContain('Find me');
    }
    for (const path of [`/p/${project.key}/board/OPEN?after=%00`, `/invitations?before=1.%00`]) {
      expect((await send(path, { cookie, htmx: true })).status, path).toBeLessThan(500);
    }
    expect(
      await testDb().select({ id: tickets.id }).from(tickets).where(eq(tickets.projectId, project.id)),
    ).toHaveLength(1);
  });
});
