import { eq } from 'drizzle-orm';
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import worker from '../../../src/index';
import { DAILY } from '../../../src/scheduled';
import { signDeviceCookie } from '../../../src/auth/device-cookie';
import { accountKey, LOCKOUT_MS, MAX_FAILED_PASSWORDS } from '../../../src/auth/lockout';
import { signInThrottles } from '../../../src/db/schema';
import { roundTrips, send, sessionCookieFor, testDb } from '../helpers';
import { PASSWORD, freshIp, sessionCookieFrom, signInRequest, userWithPassword, withoutNonce } from './account-helpers';

const LOCKED = 'Too many failed attempts. Wait 15 minutes and try again, or reset your password.';

/** The `name=value` of the device cookie a response sets. */
function deviceCookieFrom(res: Response): string {
  const header = res.headers.getSetCookie().find((c) => /^(__Host-)?hticket_device=[^;]+/.test(c));
  if (!header) throw new Error('the response sets no device cookie');
  return header.split(';')[0]!;
}

/** A browser that signed in once with the right password: it holds the account's device cookie. */
async function knownBrowser(email: string): Promise<string> {
  const res = await signInRequest(email, PASSWORD);
  expect(res.status).toBe(303);
  return deviceCookieFrom(res);
}

async function strangerLocks(email: string): Promise<Response> {
  let last: Response | undefined;
  for (let i = 0; i < MAX_FAILED_PASSWORDS; i++) last = await signInRequest(email, `guess ${i}`);
  return last!;
}

async function throttleOf(key: string) {
  return (await testDb().select().from(signInThrottles).where(eq(signInThrottles.key, key)))[0];
}

describe('sign-in lockout with device cookies', () => {
  it(`locks strangers out of an account after ${MAX_FAILED_PASSWORDS} failures, the right password included`, async () => {
    const user = await userWithPassword();
    for (let i = 1; i < MAX_FAILED_PASSWORDS; i++) {
      expect(await (await signInRequest(user.email, `guess ${i}`)).text()).toContain('Email or password is incorrect.');
    }
    const last = await signInRequest(user.email, 'guess again');
    expect(last.status).toBe(422);
    expect(await last.text()).toContain(LOCKED);

    const right = await signInRequest(user.email, PASSWORD);
    expect(right.status).toBe(422);
    expect(await right.text()).toContain(LOCKED);
    expect(right.headers.getSetCookie()).toEqual([]);
    expect((await throttleOf(accountKey(user.email)))?.lockedUntil).toBeGreaterThan(Date.now() + LOCKOUT_MS - 60_000);
  });

  it('lets the owner in from a browser that signed in before, while strangers stay locked out', async () => {
    const user = await userWithPassword();
    const device = await knownBrowser(user.email);
    await strangerLocks(user.email);

    const owner = await signInRequest(user.email, PASSWORD, { cookie: device });
    expect(owner.status).toBe(303);
    expect(sessionCookieFrom(owner)).toMatch(/^hticket_session=/);
    // A success from the known browser does not lift the strangers' lock.
    expect((await signInRequest(user.email, PASSWORD)).status).toBe(422);
  });

  it("counts a known browser's own failures on their own, and locks only that browser", async () => {
    const user = await userWithPassword();
    const device = await knownBrowser(user.email);
    for (let i = 0; i < MAX_FAILED_PASSWORDS; i++) await signInRequest(user.email, 'typo', { cookie: device });
    const locked = await signInRequest(user.email, PASSWORD, { cookie: device });
    expect(await locked.text()).toContain(LOCKED);
    expect((await signInRequest(user.email, PASSWORD)).status).toBe(303);
  });

  it("treats a forged device cookie, or another account's, as a stranger", async () => {
    const user = await userWithPassword();
    const other = await userWithPassword();
    const otherDevice = await knownBrowser(other.email);
    await strangerLocks(user.email);
    const forged = `hticket_device=${signDeviceCookie('not the server secret at all, 32+ chars', { userId: user.id, deviceId: crypto.randomUUID() })}`;
    for (const cookie of [forged, otherDevice, 'hticket_device=garbage']) {
      const res = await signInRequest(user.email, PASSWORD, { cookie });
      expect(res.status).toBe(422);
      expect(await res.text()).toContain(LOCKED);
    }
  });

  it('gives the same lock answer, at the same cost, for a known and an unknown address', async () => {
    const user = await userWithPassword();
    const unknown = `nobody-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const answers: Record<string, { status: number; body: string; trips: number }[]> = {};
    for (const email of [user.email, unknown]) {
      answers[email] = [];
      for (let i = 0; i < MAX_FAILED_PASSWORDS + 2; i++) {
        const res = await signInRequest(email, PASSWORD.slice(0, 10) + i);
        const body = withoutNonce(await res.text()).replaceAll(email, 'EMAIL');
        answers[email].push({ status: res.status, body, trips: roundTrips(res) });
      }
    }
    expect(answers[unknown]).toEqual(answers[user.email]);
    expect(answers[unknown]!.at(-1)!.body).toContain(LOCKED);
    // Failures and locks cost the same: one read, then one write (none while locked).
    expect(answers[unknown]!.map((a) => a.trips)).toEqual([2, 2, 2, 2, 2, 1, 1]);
  });

  it('starts counting again once the window has passed', async () => {
    const user = await userWithPassword();
    const long = Date.now() - LOCKOUT_MS - 1;
    await testDb()
      .insert(signInThrottles)
      .values({
        key: accountKey(user.email),
        failures: MAX_FAILED_PASSWORDS - 1,
        windowStartedAt: long,
        lockedUntil: long,
      });
    expect(await (await signInRequest(user.email, 'one more')).text()).toContain('Email or password is incorrect.');
    expect((await throttleOf(accountKey(user.email)))?.failures).toBe(1);
    expect((await signInRequest(user.email, PASSWORD)).status).toBe(303);
    expect(await throttleOf(accountKey(user.email))).toBeUndefined();
  });
});

describe('wrong current passwords on a password change', () => {
  function change(cookie: string, current: string) {
    return send('/profile/password', {
      cookie,
      htmx: true,
      form: {
        current_password: current,
        new_password: 'a different passphrase',
        confirm_password: 'a different passphrase',
      },
      headers: { 'CF-Connecting-IP': freshIp() },
    });
  }

  it('count like failed sign-ins: a stolen session cannot go on guessing, and sign-in is throttled too', async () => {
    const user = await userWithPassword();
    const stolen = await sessionCookieFor(user);
    for (let i = 1; i < MAX_FAILED_PASSWORDS; i++) {
      expect(await (await change(stolen, `guess ${i}`)).text()).toContain('Your current password is not correct.');
    }
    const last = await change(stolen, 'guess again');
    expect(last.status).toBe(422);
    expect(await last.text()).toContain('Too many wrong passwords.');
    const right = await change(stolen, PASSWORD);
    expect(right.status).toBe(422);
    expect(await right.text()).toContain('Too many wrong passwords.');
    expect(await (await signInRequest(user.email, PASSWORD)).text()).toContain(LOCKED);
  });

  it('still work for the owner in a known browser', async () => {
    const user = await userWithPassword();
    const signedIn = await signInRequest(user.email, PASSWORD);
    const cookies = `${sessionCookieFrom(signedIn)}; ${deviceCookieFrom(signedIn)}`;
    await strangerLocks(user.email);
    const res = await change(cookies, PASSWORD);
    expect(res.status).toBe(204);
  });
});

describe('lockout housekeeping', () => {
  it('deletes the counters whose window and lock are over, on the daily Cron Trigger', async () => {
    const now = Date.now();
    const long = now - LOCKOUT_MS - 1;
    const spent = accountKey(`spent-${crypto.randomUUID()}@example.com`);
    const locked = accountKey(`locked-${crypto.randomUUID()}@example.com`);
    const fresh = accountKey(`fresh-${crypto.randomUUID()}@example.com`);
    await testDb()
      .insert(signInThrottles)
      .values([
        { key: spent, failures: 2, windowStartedAt: long, lockedUntil: long },
        { key: locked, failures: 0, windowStartedAt: long, lockedUntil: now + 60_000 },
        { key: fresh, failures: 1, windowStartedAt: now, lockedUntil: null },
      ]);
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: new Date(now), cron: DAILY }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await throttleOf(spent)).toBeUndefined();
    expect(await throttleOf(locked)).toBeDefined();
    expect(await throttleOf(fresh)).toBeDefined();
  });
});
