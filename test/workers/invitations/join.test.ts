import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { verifyPassword } from '../../../src/auth/passwords';
import { invitations, projectMembers, sessions, users } from '../../../src/db/schema';
import { DAY_MS } from '../../../src/invitations/service';
import { makeProject } from '../fixtures';
import { createUser, send, sessionCookieFor, signedIn, testDb } from '../helpers';
import { bodyWithoutNonce, freshIp, invitationsFor, makeInvitation, uniqueEmail } from './helpers';

const PASSWORD = 'correct horse battery staple';
const UNAVAILABLE = 'This invitation link cannot be used';

function join(
  token: string,
  form: Record<string, string>,
  opts: { cookie?: string; ip?: Record<string, string> } = {},
) {
  return send(`/join/${token}/`, {
    form,
    headers: opts.ip ?? freshIp(),
    ...(opts.cookie ? { cookie: opts.cookie } : {}),
  });
}

function open(token: string, opts: { cookie?: string } = {}) {
  return send(`/join/${token}/`, { headers: freshIp(), ...(opts.cookie ? { cookie: opts.cookie } : {}) });
}

function usersWithEmail(email: string) {
  return testDb().select().from(users).where(eq(users.email, email));
}

function sessionCookieFrom(res: Response): string {
  const cookie = /hticket_session=([^;]+)/.exec(res.headers.get('Set-Cookie') ?? '');
  if (!cookie) throw new Error('no session cookie set');
  return `hticket_session=${cookie[1]}`;
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('opening a join link', () => {
  it('shows the form with the invited address pre-filled and read-only', async () => {
    const project = await makeProject({ name: 'Nexus' });
    const { email, token } = await makeInvitation({ projectId: project.id });
    const res = await open(token);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Join Nexus');
    expect(html).toMatch(new RegExp(`<input type="email" name="email" value="${email}" readonly=""`));
    expect(html).toContain('name="name"');
    expect(html).toContain('name="password"');
    expect(html).toContain('name="confirm"');
    expect(html).toContain(`action="/join/${token}/"`);
  });

  it('sends no-referrer and no-store on token pages, the form and the refusals alike', async () => {
    const { token } = await makeInvitation();
    for (const res of [await open(token), await open(crypto.randomUUID()), await open('abc')]) {
      expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
      expect(res.headers.get('Cache-Control')).toBe('no-store');
    }
  });

  it('never consumes the invitation on GET (mail scanners open links)', async () => {
    const { email, token } = await makeInvitation();
    expect((await open(token)).status).toBe(200);
    expect((await open(token)).status).toBe(200);
    const [row] = await invitationsFor(email);
    expect(row!.usedAt).toBeNull();
    expect(await usersWithEmail(email)).toHaveLength(0);
  });

  it('answers one database round trip', async () => {
    const { token } = await makeInvitation();
    const res = await open(token);
    expect(res.headers.get('x-db-round-trips')).toBe('1');
  });
});

describe('joining', () => {
  it('creates the user with the invited email and role, joins the project, signs in and lands on the project', async () => {
    const project = await makeProject();
    const { email, token, row } = await makeInvitation({ projectId: project.id, role: 'MANAGER' });
    const res = await join(token, { name: '  Grace Hopper ', password: PASSWORD, confirm: PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(`/p/${project.key}`);

    const [user] = await usersWithEmail(email);
    expect(user).toMatchObject({ name: 'Grace Hopper', role: 'MANAGER', email });
    expect((await verifyPassword(PASSWORD, user!.passwordHash)).ok).toBe(true);
    const [used] = await testDb().select().from(invitations).where(eq(invitations.id, row.id));
    expect(used!.usedAt).not.toBeNull();
    expect(used!.usedBy).toBe(user!.id);
    const members = await testDb().select().from(projectMembers).where(eq(projectMembers.userId, user!.id));
    expect(members.map((m) => m.projectId)).toEqual([project.id]);

    const home = await send('/', { cookie: sessionCookieFrom(res) });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Grace Hopper');
  });

  it('lands on the dashboard when the invitation names no project', async () => {
    const { token } = await makeInvitation();
    const res = await join(token, { name: 'Ada', password: PASSWORD, confirm: PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/');
  });

  it('ignores an email address in the POST', async () => {
    const { email, token } = await makeInvitation();
    const other = uniqueEmail('attacker');
    const res = await join(token, { email: other, name: 'Eve', password: PASSWORD, confirm: PASSWORD });
    expect(res.status).toBe(303);
    expect(await usersWithEmail(other)).toHaveLength(0);
    expect(await usersWithEmail(email)).toHaveLength(1);
  });

  it('refuses a weak or mismatched password with 422 and creates nothing', async () => {
    const { email, token } = await makeInvitation();
    const short = await join(token, { name: 'Ada', password: 'short', confirm: 'short' });
    expect(short.status).toBe(422);
    const html = await short.text();
    expect(html).toContain('Use at least 8 characters.');
    expect(html).toContain('value="Ada"');
    const common = await join(token, { name: 'Ada', password: 'password123', confirm: 'password123' });
    expect(common.status).toBe(422);
    expect(await common.text()).toContain('too common');
    const mismatch = await join(token, { name: 'Ada', password: PASSWORD, confirm: `${PASSWORD}!` });
    expect(mismatch.status).toBe(422);
    expect(await mismatch.text()).toContain('The two passwords do not match.');
    const noName = await join(token, { name: '  ', password: PASSWORD, confirm: PASSWORD });
    expect(noName.status).toBe(422);
    expect(await noName.text()).toContain('Enter your name.');
    expect(await usersWithEmail(email)).toHaveLength(0);
    expect((await invitationsFor(email))[0]!.usedAt).toBeNull();
  });

  it('creates exactly one user from two concurrent joins with one link', async () => {
    const { email, token } = await makeInvitation();
    const form = { name: 'Twin', password: PASSWORD, confirm: PASSWORD };
    const [a, b] = await Promise.all([join(token, form), join(token, form)]);
    expect([a.status, b.status].sort()).toEqual([303, 410]);
    expect(await usersWithEmail(email)).toHaveLength(1);
    const loser = a.status === 410 ? a : b;
    expect(await loser.text()).toContain(UNAVAILABLE);
    expect(loser.headers.get('Set-Cookie')).toBeNull();
  });
});

describe('links that cannot be used', () => {
  it('refuses a used link with 410', async () => {
    const { token } = await makeInvitation();
    expect((await join(token, { name: 'First', password: PASSWORD, confirm: PASSWORD })).status).toBe(303);
    const again = await join(token, { name: 'Second', password: PASSWORD, confirm: PASSWORD });
    expect(again.status).toBe(410);
    expect(await again.text()).toContain(UNAVAILABLE);
    expect((await open(token)).status).toBe(410);
  });

  it('refuses an expired link (the clock moved past its expiry) with 410', async () => {
    const { email, token } = await makeInvitation();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 7 * DAY_MS + 1000);
    expect((await open(token)).status).toBe(410);
    const res = await join(token, { name: 'Late', password: PASSWORD, confirm: PASSWORD });
    expect(res.status).toBe(410);
    expect(await usersWithEmail(email)).toHaveLength(0);
  });

  it('refuses a revoked link with 410', async () => {
    const { row, token } = await makeInvitation();
    await testDb().update(invitations).set({ revokedAt: Date.now() }).where(eq(invitations.id, row.id));
    expect((await open(token)).status).toBe(410);
    expect((await join(token, { name: 'X', password: PASSWORD, confirm: PASSWORD })).status).toBe(410);
  });

  it('refuses a random well-formed UUID with 404', async () => {
    const res = await open(crypto.randomUUID());
    expect(res.status).toBe(404);
    expect(await res.text()).toContain(UNAVAILABLE);
    expect((await join(crypto.randomUUID(), { name: 'X', password: PASSWORD, confirm: PASSWORD })).status).toBe(404);
  });

  it.each([
    ['abc', 'abc'],
    ['a 10 KB token', 'a'.repeat(10 * 1024)],
    ['an upper-case UUID', crypto.randomUUID().toUpperCase()],
    ['a UUID with a suffix', `${crypto.randomUUID()}x`],
    ['percent-encoded junk', '%E0%A4%A'],
  ])('refuses a malformed token (%s) with 404 before any query', async (_label, token) => {
    const res = await open(token);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain(UNAVAILABLE);
    expect(res.headers.get('x-db-round-trips')).toBe('0');
    const posted = await join(token, { name: 'X', password: PASSWORD, confirm: PASSWORD });
    expect(posted.status).toBe(404);
  });

  it('shows the same page for unknown, malformed, used, expired and revoked links', async () => {
    const used = await makeInvitation();
    await join(used.token, { name: 'U', password: PASSWORD, confirm: PASSWORD });
    const revoked = await makeInvitation();
    await testDb().update(invitations).set({ revokedAt: Date.now() }).where(eq(invitations.id, revoked.row.id));
    const expired = await makeInvitation({ now: Date.now() - 8 * DAY_MS });
    const bodies = await Promise.all(
      [crypto.randomUUID(), 'abc', used.token, revoked.token, expired.token].map(async (t) =>
        bodyWithoutNonce(await open(t)),
      ),
    );
    expect(new Set(bodies).size).toBe(1);
  });

  it('rate-limits the join routes per client address', async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      statuses.push((await send(`/join/${crypto.randomUUID()}/`, { headers: ip })).status);
    }
    expect(statuses).toContain(429);
    expect(statuses.slice(0, 10).every((s) => s === 404)).toBe(true);
  });
});

describe('a signed-in visitor', () => {
  it('opening a link for their own address gets a button, and posting it adds them to the project', async () => {
    const project = await makeProject({ name: 'Orbit' });
    const { user, cookie } = await signedIn();
    const { row, token } = await makeInvitation({ email: user.email, projectId: project.id, direct: true });

    const page = await open(token, { cookie });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Open Orbit');
    const [untouched] = await testDb().select().from(invitations).where(eq(invitations.id, row.id));
    expect(untouched!.usedAt).toBeNull();

    const res = await join(token, {}, { cookie });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(`/p/${project.key}`);
    const members = await testDb().select().from(projectMembers).where(eq(projectMembers.userId, user.id));
    expect(members.map((m) => m.projectId)).toEqual([project.id]);
    expect(await usersWithEmail(user.email)).toHaveLength(1);
    const [used] = await testDb().select().from(invitations).where(eq(invitations.id, row.id));
    expect(used!.usedBy).toBe(user.id);
  });

  it('with another address is told so, and nothing changes', async () => {
    const { cookie } = await signedIn();
    const { email, token } = await makeInvitation();
    const page = await open(token, { cookie });
    expect(page.status).toBe(409);
    const html = await page.text();
    expect(html).toContain('This invitation is for another address');
    expect(html).toContain(email);
    const res = await join(token, { name: 'Mallory', password: PASSWORD, confirm: PASSWORD }, { cookie });
    expect(res.status).toBe(409);
    expect(await usersWithEmail(email)).toHaveLength(0);
    expect((await invitationsFor(email))[0]!.usedAt).toBeNull();
  });

  it('with a stale session cookie is treated as a visitor', async () => {
    const user = await createUser();
    const cookie = await sessionCookieFor(user);
    await testDb().delete(sessions).where(eq(sessions.userId, user.id));
    const { token } = await makeInvitation();
    const res = await open(token, { cookie });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('name="password"');
  });

  it('not signed in but with an account for the address is sent to sign in, and no user is created', async () => {
    const existing = await createUser();
    const { token } = await makeInvitation({ email: existing.email, direct: true });
    const page = await open(token);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`/login?next=${encodeURIComponent(`/join/${token}/`)}`);
    const res = await join(token, { name: 'Dup', password: PASSWORD, confirm: PASSWORD });
    expect(res.status).toBe(200);
    expect(await usersWithEmail(existing.email)).toHaveLength(1);
    const [user] = await usersWithEmail(existing.email);
    expect(user!.passwordHash).toBe('unusable');
  });
});

describe('token secrecy', () => {
  it('stores only the hash of the link token', async () => {
    const { row, token } = await makeInvitation();
    expect(row.tokenHash).not.toContain(token);
    expect(JSON.stringify(row)).not.toContain(token);
    expect(env.TOKEN_SECRET).toBeTruthy();
  });
});
