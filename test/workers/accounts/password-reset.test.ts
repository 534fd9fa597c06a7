import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { PASSWORD_RESET_TTL_MS } from '../../../src/auth/password-resets';
import { MAX_FAILED_PASSWORDS } from '../../../src/auth/lockout';
import { mailDeliveries, passwordResets, sessions, users, type PasswordReset } from '../../../src/db/schema';
import { hashToken } from '../../../src/lib/crypto';
import { passwordResetToken } from '../../../src/lib/links';
import type { Env } from '../../../src/env';
import worker from '../../../src/index';
import { ORIGIN, roundTrips, send, sessionCookieFor, testDb } from '../helpers';
import { consume } from '../mail/mail-helpers';
import { PASSWORD, freshIp, signInRequest, userRow, userWithPassword, withoutNonce } from './account-helpers';

const NEW_PASSWORD = 'a brand new passphrase';

/**
 * Asks for a reset through the Worker with a queue that records what is sent, then hands what was queued to the
 * queue consumer (with console output muted), as the queue would.
 */
async function requestReset(email: string, opts: { consume?: boolean } = {}) {
  const queued: unknown[] = [];
  const queue = {
    send: async (body: unknown) => void queued.push(body),
    sendBatch: async (items: { body: unknown }[]) => void queued.push(...items.map((i) => i.body)),
  };
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${ORIGIN}/password-reset`, {
      method: 'POST',
      headers: {
        Origin: ORIGIN,
        'Content-Type': 'application/x-www-form-urlencoded',
        'CF-Connecting-IP': freshIp(),
      },
      body: new URLSearchParams({ email }),
    }),
    { ...env, MAIL_QUEUE: queue } as unknown as Env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  if (opts.consume !== false && queued.length > 0) {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await consume(queued);
    log.mockRestore();
  }
  return Object.assign(res, { queued });
}

function setPassword(token: string, password: string, confirm = password) {
  return send(`/password-reset/${token}/`, {
    form: { new_password: password, confirm_password: confirm },
    headers: { 'CF-Connecting-IP': freshIp() },
  });
}

async function resetsOf(userId: string): Promise<PasswordReset[]> {
  return testDb().select().from(passwordResets).where(eq(passwordResets.userId, userId));
}

/** The link the email carries, rebuilt the way the mail consumer does it. */
async function linkTokenOf(reset: PasswordReset): Promise<string> {
  return passwordResetToken(env.TOKEN_SECRET!, reset);
}

async function resetLinkFor(email: string): Promise<string> {
  const user = (await testDb().select().from(users).where(eq(users.email, email)))[0]!;
  expect((await requestReset(email)).status).toBe(200);
  const rows = await resetsOf(user.id);
  return linkTokenOf(rows.sort((a, b) => b.createdAt - a.createdAt)[0]!);
}

describe('asking for a reset link', () => {
  it('shows the request form without a session', async () => {
    const res = await send('/password-reset');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<form method="post" action="/password-reset">');
  });

  it('stores a hashed, short-lived, single-use link and plans the email', async () => {
    const user = await userWithPassword();
    const before = Date.now();
    const res = await requestReset(user.email.toUpperCase());
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Check your email');
    const [reset] = await resetsOf(user.id);
    expect(reset).toBeDefined();
    expect(reset!.usedAt).toBeNull();
    expect(reset!.expiresAt - reset!.createdAt).toBe(PASSWORD_RESET_TTL_MS);
    expect(reset!.createdAt).toBeGreaterThanOrEqual(before);
    const token = await linkTokenOf(reset!);
    expect(reset!.tokenHash).toBe(hashToken(token));
    expect(reset!.tokenHash).not.toContain(token);
    const deliveries = await testDb()
      .select()
      .from(mailDeliveries)
      .where(and(eq(mailDeliveries.refId, reset!.id), eq(mailDeliveries.kind, 'password_reset')));
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.recipient).toBe(user.email);
  });

  it('does the same work for a known and an unknown address: no database work, one queued message', async () => {
    const user = await userWithPassword();
    const unknown = `nobody-${crypto.randomUUID()}@example.com`;
    const known = await requestReset(user.email, { consume: false });
    const missing = await requestReset(unknown, { consume: false });
    expect(missing.status).toBe(known.status);
    expect(withoutNonce(await missing.text())).toBe(withoutNonce(await known.text()));
    expect([roundTrips(known), roundTrips(missing)]).toEqual([0, 0]);
    expect(known.queued).toHaveLength(1);
    expect(missing.queued).toHaveLength(1);
    const shape = (body: unknown) => Object.keys(body as object).sort();
    expect(shape(missing.queued[0])).toEqual(shape(known.queued[0]));
    expect(await resetsOf(user.id)).toEqual([]);

    // The queue consumer does the lookup: a reset and its email for the account, nothing for the unknown address.
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const results = [await consume(known.queued), await consume(missing.queued)];
    log.mockRestore();
    for (const { result } of results) expect(result.explicitAcks).toHaveLength(1);
    expect(await resetsOf(user.id)).toHaveLength(1);
    const deliveries = await testDb().select().from(mailDeliveries).where(eq(mailDeliveries.recipient, unknown));
    expect(deliveries).toEqual([]);
  });

  it('writes the reset once even when the queue delivers the request twice', async () => {
    const user = await userWithPassword();
    const { queued } = await requestReset(user.email);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await consume(queued);
    log.mockRestore();
    const resets = await resetsOf(user.id);
    expect(resets).toHaveLength(1);
    const deliveries = await testDb().select().from(mailDeliveries).where(eq(mailDeliveries.refId, resets[0]!.id));
    expect(deliveries.map((d) => d.status)).toEqual(['SENT']);
  });

  it('sends nothing for a disabled account', async () => {
    const user = await userWithPassword({ disabledAt: Date.now() });
    expect((await requestReset(user.email)).status).toBe(200);
    expect(await resetsOf(user.id)).toEqual([]);
  });

  it('re-renders the form with 422 for something that is not an email address', async () => {
    const res = await requestReset('not an address');
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Enter a valid email address.');
    expect(html).toContain('value="not an address"');
  });
});

describe('the reset rate limit', () => {
  it('answers 429 once one address asks too often', async () => {
    const ip = freshIp();
    let status = 0;
    // Invalid forms are refused after the limiter counted them, so the loop stays cheap.
    for (let i = 0; i < 45 && status !== 429; i++) {
      status = (await send('/password-reset', { form: { email: 'x' }, headers: { 'CF-Connecting-IP': ip } })).status;
    }
    expect(status).toBe(429);
  });
});

describe('using a reset link', () => {
  it('shows the form with no-referrer and no-store', async () => {
    const user = await userWithPassword();
    const token = await resetLinkFor(user.email);
    const res = await send(`/password-reset/${token}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(await res.text()).toContain(`action="/password-reset/${token}/"`);
  });

  it('keeps no-referrer and no-store on every answer under a token URL', async () => {
    const user = await userWithPassword();
    const token = await resetLinkFor(user.email);
    const answers = [
      await send(`/password-reset/${token}/`, { form: { new_password: 'a', confirm_password: 'b' } }),
      await send(`/password-reset/${crypto.randomUUID()}/`),
      await send('/password-reset/not-a-token/'),
    ];
    expect(answers.map((r) => r.status)).toEqual([422, 410, 404]);
    for (const res of answers) {
      expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
      expect(res.headers.get('Cache-Control')).toBe('no-store');
    }
  });

  it('sets the password, ends every session, does not sign in, and works once', async () => {
    const user = await userWithPassword();
    const cookie = await sessionCookieFor(user);
    const token = await resetLinkFor(user.email);

    const res = await setPassword(token, NEW_PASSWORD);
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/login?notice=password-reset');
    expect(res.headers.getSetCookie().filter((c) => /hticket_session=[^;]/.test(c))).toEqual([]);
    expect(await (await send('/login?notice=password-reset')).text()).toContain('Sign in with the new one');

    expect(await testDb().select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([]);
    expect((await send('/', { cookie })).status).toBe(302);
    expect((await signInRequest(user.email, PASSWORD)).status).toBe(422);
    expect((await signInRequest(user.email, NEW_PASSWORD)).status).toBe(303);

    const again = await setPassword(token, 'yet another passphrase');
    expect(again.status).toBe(410);
    expect((await send(`/password-reset/${token}/`)).status).toBe(410);
    expect((await signInRequest(user.email, NEW_PASSWORD)).status).toBe(303);
  });

  it("lifts the strangers' lock and makes the browser that used the link a known one", async () => {
    const user = await userWithPassword();
    for (let i = 0; i < MAX_FAILED_PASSWORDS; i++) await signInRequest(user.email, `guess ${i}`);
    const token = await resetLinkFor(user.email);
    const res = await setPassword(token, NEW_PASSWORD);
    expect(res.status).toBe(303);
    const device = res.headers
      .getSetCookie()
      .find((c) => c.startsWith('hticket_device='))!
      .split(';')[0]!;
    // Strangers may lock the account again at once; the owner's browser still gets in.
    for (let i = 0; i < MAX_FAILED_PASSWORDS; i++) await signInRequest(user.email, `guess ${i}`);
    expect((await signInRequest(user.email, NEW_PASSWORD)).status).toBe(422);
    expect((await signInRequest(user.email, NEW_PASSWORD, { cookie: device })).status).toBe(303);
  });

  it('uses up the other open links of the account', async () => {
    const user = await userWithPassword();
    const first = await resetLinkFor(user.email);
    const second = await resetLinkFor(user.email);
    expect(first).not.toBe(second);
    expect((await setPassword(second, NEW_PASSWORD)).status).toBe(303);
    expect((await setPassword(first, 'yet another passphrase')).status).toBe(410);
  });

  it('refuses an expired link', async () => {
    const user = await userWithPassword();
    const token = await resetLinkFor(user.email);
    await testDb()
      .update(passwordResets)
      .set({ expiresAt: Date.now() - 1 })
      .where(eq(passwordResets.userId, user.id));
    expect((await send(`/password-reset/${token}/`)).status).toBe(410);
    expect((await setPassword(token, NEW_PASSWORD)).status).toBe(410);
    expect((await signInRequest(user.email, PASSWORD)).status).toBe(303);
  });

  it.each([
    ['7 characters', 'short12', 'at least 8'],
    ['257 characters', 'a'.repeat(257), 'at most 256'],
    ['a common password', 'iloveyou', 'too common'],
  ])('refuses a new password of %s with 422 next to the field', async (_, password, message) => {
    const user = await userWithPassword();
    const token = await resetLinkFor(user.email);
    const res = await setPassword(token, password);
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain(message);
    expect(html).toContain('id="new_password-error"');
    expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect((await send(`/password-reset/${token}/`)).status).toBe(200);
  });

  it('refuses the email address as the new password', async () => {
    const user = await userWithPassword();
    const token = await resetLinkFor(user.email);
    const res = await setPassword(token, user.email);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('email address');
  });

  it('refuses two passwords that differ', async () => {
    const user = await userWithPassword();
    const token = await resetLinkFor(user.email);
    const res = await setPassword(token, NEW_PASSWORD, `${NEW_PASSWORD}!`);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('do not match');
  });

  it.each(['not-a-token', `${crypto.randomUUID()}x`, '..%2F..%2Fetc'])(
    'answers 404 for the malformed token %s',
    async (token) => {
      expect((await send(`/password-reset/${token}/`)).status).toBe(404);
      expect((await setPassword(token, NEW_PASSWORD)).status).toBe(404);
    },
  );

  it('answers 410 for a well-formed token that matches nothing', async () => {
    const res = await send(`/password-reset/${crypto.randomUUID()}/`);
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('Ask for a new link');
  });
});
