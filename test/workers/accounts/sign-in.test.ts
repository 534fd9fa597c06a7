import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { LOCKOUT_MS, MAX_FAILED_LOGINS } from '../../../src/accounts/service';
import { hashPassword } from '../../../src/auth/passwords';
import { sessions, users } from '../../../src/db/schema';
import { roundTrips, send, sessionCookieFor, testDb } from '../helpers';
import {
  PASSWORD,
  freshIp,
  sessionCookieFrom,
  signInRequest,
  userRow,
  userWithPassword,
  withoutNonce,
} from './account-helpers';

describe('sign-in page', () => {
  it('shows the form with a reset link and says that hticket is invite-only', async () => {
    const res = await send('/login');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<form method="post" action="/login">');
    expect(html).toContain('name="email"');
    expect(html).toContain('name="password"');
    expect(html).toContain('href="/password-reset"');
    expect(html).toContain('invite-only: ask your manager for an invitation');
    expect(html).not.toMatch(/sign ?up/i);
  });

  it.each(['https://evil.example', '//evil.example', '/\\evil.example', '/.//evil.example'])(
    'does not carry next=%s into the form',
    async (next) => {
      const html = await (await send(`/login?next=${encodeURIComponent(next)}`)).text();
      expect(html).not.toContain('evil');
    },
  );

  it('keeps a same-origin next in the form', async () => {
    const html = await (await send('/login?next=%2Fp%2FABC%2Fboard')).text();
    expect(html).toContain('<input type="hidden" name="next" value="/p/ABC/board"/>');
  });

  it('sends someone already signed in on to next', async () => {
    const user = await userWithPassword();
    const cookie = await sessionCookieFor(user);
    const res = await send('/login?next=%2Fp%2FABC', { cookie });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/p/ABC');
  });
});

describe('signing in', () => {
  it('signs in with the right password, case-insensitively on the email, and shows the dashboard', async () => {
    const user = await userWithPassword({ name: 'Grace Hopper' });
    const res = await signInRequest(`  ${user.email.toUpperCase()} `, PASSWORD);
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/');
    const cookie = sessionCookieFrom(res);
    const dashboard = await send('/', { cookie });
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toContain('Grace Hopper');
  });

  it('sets an HttpOnly, SameSite=Lax cookie without Secure on http', async () => {
    const user = await userWithPassword();
    const res = await signInRequest(user.email, PASSWORD);
    const header = res.headers.getSetCookie().find((c) => c.startsWith('hticket_session='))!;
    expect(header).toMatch(/HttpOnly/i);
    expect(header).toMatch(/SameSite=Lax/i);
    expect(header).toMatch(/Path=\//);
    expect(header).not.toMatch(/Secure/i);
    expect(header).toMatch(/^hticket_session=[0-9a-f-]{36}\.[a-z2-7]{24};/);
  });

  it('uses a __Host- cookie with Secure on https', async () => {
    const user = await userWithPassword();
    const { exports } = await import('cloudflare:workers');
    const res = await exports.default.fetch(
      new Request('https://hticket.test/login', {
        method: 'POST',
        redirect: 'manual',
        headers: {
          Origin: 'https://hticket.test',
          'Content-Type': 'application/x-www-form-urlencoded',
          'CF-Connecting-IP': freshIp(),
        },
        body: new URLSearchParams({ email: user.email, password: PASSWORD }),
      }),
    );
    expect(res.status).toBe(303);
    const header = res.headers.getSetCookie().find((c) => c.startsWith('__Host-hticket_session='))!;
    expect(header).toMatch(/; Secure/i);
    expect(header).toMatch(/HttpOnly/i);
    expect(header).toMatch(/SameSite=Lax/i);
    expect(header).toMatch(/Path=\//);
    expect(header).not.toMatch(/Domain=/i);
  });

  it('opens a new session on every sign-in and closes the one the browser held', async () => {
    const user = await userWithPassword();
    const first = sessionCookieFrom(await signInRequest(user.email, PASSWORD));
    const second = sessionCookieFrom(await signInRequest(user.email, PASSWORD, { cookie: first }));
    expect(second).not.toBe(first);
    expect((await send('/', { cookie: first })).status).toBe(302);
    expect((await send('/', { cookie: second })).status).toBe(200);
    const rows = await testDb().select().from(sessions).where(eq(sessions.userId, user.id));
    expect(rows).toHaveLength(1);
  });

  it('answers an unknown email and a wrong password with the same status and page', async () => {
    const user = await userWithPassword();
    const unknownEmail = `nobody-${crypto.randomUUID()}@example.com`;
    const wrong = await signInRequest(user.email, 'not the password');
    const unknown = await signInRequest(unknownEmail, 'not the password');
    expect(wrong.status).toBe(422);
    expect(unknown.status).toBe(422);
    const wrongHtml = withoutNonce(await wrong.text()).replace(user.email, 'EMAIL');
    const unknownHtml = withoutNonce(await unknown.text()).replace(unknownEmail, 'EMAIL');
    expect(wrongHtml).toBe(unknownHtml);
    expect(wrongHtml).toContain('Email or password is incorrect.');
    expect(wrong.headers.getSetCookie()).toEqual([]);
  });

  it('spends as many database round trips on an unknown email as on a wrong password', async () => {
    const user = await userWithPassword();
    const wrong = await signInRequest(user.email, 'not the password');
    const unknown = await signInRequest(`nobody-${crypto.randomUUID()}@example.com`, 'not the password');
    expect(wrong.status).toBe(422);
    expect(roundTrips(unknown)).toBe(roundTrips(wrong));
  });

  it('refuses a disabled account with the same answer as a wrong password', async () => {
    const user = await userWithPassword({ disabledAt: Date.now() });
    const res = await signInRequest(user.email, PASSWORD);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Email or password is incorrect.');
  });

  it('re-renders the form with 422 when a field is empty, keeping the email', async () => {
    const res = await signInRequest('someone@example.com', '');
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Enter your password.');
    expect(html).toContain('value="someone@example.com"');
  });

  it.each([
    ['https://evil.example/x', '/'],
    ['//evil.example', '/'],
    ['/\\evil.example', '/'],
    ['/.//evil.example', '/'],
    ['javascript:alert(1)', '/'],
    ['/p/ABC/board?status=OPEN', '/p/ABC/board?status=OPEN'],
  ])('after sign-in with next=%s goes to %s', async (next, location) => {
    const user = await userWithPassword();
    const res = await signInRequest(user.email, PASSWORD, { next });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(location);
  });

  it('re-hashes a password stored with older scrypt parameters', async () => {
    const { scrypt } = await import('node:crypto');
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const key = await new Promise<Buffer>((resolve, reject) =>
      scrypt(PASSWORD, salt, 32, { N: 1024, r: 8, p: 1 }, (err, k) => (err ? reject(err) : resolve(k))),
    );
    const old = ['scrypt', 1024, 8, 1, Buffer.from(salt).toString('base64'), key.toString('base64')].join('$');
    const user = await userWithPassword({ passwordHash: old });
    const res = await signInRequest(user.email, PASSWORD);
    expect(res.status).toBe(303);
    const stored = (await userRow(user.id)).passwordHash;
    expect(stored).not.toBe(old);
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect((await signInRequest(user.email, PASSWORD)).status).toBe(303);
  });
});

describe('account lockout', () => {
  it(`locks the account for a while after ${MAX_FAILED_LOGINS} failures, even for the right password`, async () => {
    const user = await userWithPassword();
    for (let i = 1; i < MAX_FAILED_LOGINS; i++) {
      const res = await signInRequest(user.email, `wrong ${i}`);
      expect(await res.text()).toContain('Email or password is incorrect.');
    }
    expect((await userRow(user.id)).failedLogins).toBe(MAX_FAILED_LOGINS - 1);
    const last = await signInRequest(user.email, 'wrong again');
    expect(last.status).toBe(422);
    expect(await last.text()).toContain('Wait 15 minutes');

    const locked = await signInRequest(user.email, PASSWORD);
    expect(locked.status).toBe(422);
    expect(await locked.text()).toContain('reset your password');
    expect(locked.headers.getSetCookie()).toEqual([]);
    const row = await userRow(user.id);
    expect(row.lockedUntil).toBeGreaterThan(Date.now() + LOCKOUT_MS - 60_000);
  });

  it('lets the owner in once the lock has passed, and a success resets the counter', async () => {
    const user = await userWithPassword({ failedLogins: 3, lockedUntil: Date.now() - 1 });
    const res = await signInRequest(user.email, PASSWORD);
    expect(res.status).toBe(303);
    const row = await userRow(user.id);
    expect(row.failedLogins).toBe(0);
    expect(row.lockedUntil).toBeNull();
  });

  it('counts failures only for consecutive attempts', async () => {
    const user = await userWithPassword();
    for (let i = 0; i < MAX_FAILED_LOGINS - 1; i++) await signInRequest(user.email, 'wrong');
    expect((await signInRequest(user.email, PASSWORD)).status).toBe(303);
    for (let i = 0; i < MAX_FAILED_LOGINS - 1; i++) await signInRequest(user.email, 'wrong');
    expect((await signInRequest(user.email, PASSWORD)).status).toBe(303);
  });
});

describe('sign-in rate limit', () => {
  it('answers 429 with a readable message once one address tries too often', async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    let limited: Response | undefined;
    // The emulated limiter's windows align to the wall clock: allow for one rollover while counting.
    // An empty password is refused without running scrypt, but after the limiter counted the attempt.
    for (let i = 0; i < 45 && !limited; i++) {
      const res = await send('/login', {
        form: { email: `x${i}@example.com`, password: '' },
        headers: { 'CF-Connecting-IP': ip },
      });
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(limited, `statuses: ${statuses.join(',')}`).toBeDefined();
    expect(limited!.headers.get('Retry-After')).toBe('60');
    expect(await limited!.text()).toContain('Too many attempts');
    // Another address is not affected.
    const other = await send('/login', {
      form: { email: 'y@example.com', password: 'whatever' },
      headers: { 'CF-Connecting-IP': freshIp() },
    });
    expect(other.status).toBe(422);
  });
});

describe('the stored password', () => {
  it('is an scrypt hash with its parameters', async () => {
    const hash = await hashPassword('a quite long passphrase');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    const user = await userWithPassword();
    const [row] = await testDb().select().from(users).where(eq(users.id, user.id));
    expect(row!.passwordHash.startsWith('scrypt$')).toBe(true);
  });
});
