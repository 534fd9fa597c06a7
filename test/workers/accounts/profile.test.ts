import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { sessions } from '../../../src/db/schema';
import { roundTrips, send, sessionCookieFor, signedIn, testDb } from '../helpers';
import { PASSWORD, freshIp, signInRequest, userRow, userWithPassword } from './account-helpers';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0]);
const WEBP = new Uint8Array([0x52, 0x49, 0x46, 0x46, 36, 0, 0, 0, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x20]);

function upload(cookie: string, bytes: Uint8Array, opts: { type?: string; name?: string; htmx?: boolean } = {}) {
  const form = new FormData();
  form.append('avatar', new File([bytes], opts.name ?? 'me.png', { type: opts.type ?? 'image/png' }));
  return send('/profile/avatar', { cookie, body: form, htmx: opts.htmx ?? true });
}

describe('the profile modal', () => {
  it('opens as a partial for htmx in one round trip, with the three forms', async () => {
    const { user, cookie } = await signedIn({ name: 'Ada Lovelace' });
    const res = await send('/profile', { cookie, htmx: true });
    expect(res.status).toBe(200);
    expect(roundTrips(res)).toBe(1);
    const html = await res.text();
    expect(html).not.toContain('<html');
    expect(html).toContain('id="modal-title"');
    expect(html).toContain('value="Ada Lovelace"');
    expect(html).toContain(user.email);
    expect(html).toContain('hx-post="/profile" hx-target="#dialog"');
    expect(html).toContain('hx-encoding="multipart/form-data"');
    expect(html).toContain('hx-post="/profile/password"');
    expect(html).toContain('Email me about tickets I&#39;m on');
    expect(html).toMatch(/name="notify_email" checked/);
    expect(res.headers.get('Vary')).toContain('HX-Request');
  });

  it('is a full page when opened directly', async () => {
    const { cookie } = await signedIn();
    const res = await send('/profile', { cookie });
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('action="/profile"');
  });

  it('shows initials when there is no picture', async () => {
    const { cookie } = await signedIn({ name: 'Grace Brewster Hopper' });
    const html = await (await send('/profile', { cookie, htmx: true })).text();
    expect(html).toContain('>GH</span>');
  });
});

describe('saving the profile', () => {
  it('saves the profile of someone who joined with a 90-character name (the join limit)', async () => {
    const long = 'L'.repeat(90);
    const { user, cookie } = await signedIn({ name: long });
    const res = await send('/profile', { cookie, htmx: true, form: { name: long, notify_email: 'on' } });
    expect(res.status).toBe(204);
    expect((await userRow(user.id)).name).toBe(long);
  });

  it('saves name and notifications and answers 204 with events for htmx', async () => {
    const { user, cookie } = await signedIn({ name: 'Old Name' });
    const res = await send('/profile', { cookie, htmx: true, form: { name: '  New Name  ' } });
    expect(res.status).toBe(204);
    const events = JSON.parse(res.headers.get('HX-Trigger') ?? '{}');
    expect(events).toHaveProperty('profileUpdated');
    expect(events).toHaveProperty('modal:close');
    const row = await userRow(user.id);
    expect(row.name).toBe('New Name');
    expect(row.notifyEmail).toBe(false);
    const chip = await send('/profile/chip', { cookie, htmx: true });
    expect(await chip.text()).toContain('New Name');
  });

  it('turns notifications back on', async () => {
    const { user, cookie } = await signedIn({ notifyEmail: false });
    await send('/profile', { cookie, htmx: true, form: { name: 'N', notify_email: 'on' } });
    expect((await userRow(user.id)).notifyEmail).toBe(true);
  });

  it('redirects back to the profile page without htmx', async () => {
    const { cookie } = await signedIn();
    const res = await send('/profile', { cookie, form: { name: 'Plain Form' } });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/profile?notice=profile');
    expect(await (await send('/profile?notice=profile', { cookie })).text()).toContain('Your profile was saved.');
  });

  it.each([
    ['an empty name', '   ', 'Enter your name.'],
    ['a name of 101 characters', 'n'.repeat(101), 'at most 100'],
  ])('refuses %s with 422, the error next to the field', async (_, name, message) => {
    const { user, cookie } = await signedIn({ name: 'Kept Name' });
    const res = await send('/profile', { cookie, htmx: true, form: { name } });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain(message);
    expect(html).toContain('id="name-error"');
    expect((await userRow(user.id)).name).toBe('Kept Name');
  });

  it('cannot be saved without a session', async () => {
    const res = await send('/profile', { htmx: true, form: { name: 'X' }, cookie: 'hticket_session=garbage' });
    expect(res.status).toBe(401);
    expect(res.headers.get('HX-Redirect')).toMatch(/^\/login/);
  });
});

describe('changing the password', () => {
  function change(cookie: string, form: Record<string, string>) {
    return send('/profile/password', { cookie, htmx: true, form, headers: { 'CF-Connecting-IP': freshIp() } });
  }

  it('needs the current password, then ends the other sessions but not this one', async () => {
    const user = await userWithPassword();
    const cookie = await sessionCookieFor(user);
    const other = await sessionCookieFor(user);
    const res = await change(cookie, {
      current_password: PASSWORD,
      new_password: 'a different passphrase',
      confirm_password: 'a different passphrase',
    });
    expect(res.status).toBe(204);
    expect(JSON.parse(res.headers.get('HX-Trigger')!)).toHaveProperty('modal:close');
    expect((await send('/', { cookie })).status).toBe(200);
    expect((await send('/', { cookie: other })).status).toBe(302);
    expect(await testDb().select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(1);
    expect((await signInRequest(user.email, 'a different passphrase')).status).toBe(303);
  });

  it('refuses a wrong current password and changes nothing', async () => {
    const user = await userWithPassword();
    const cookie = await sessionCookieFor(user);
    const other = await sessionCookieFor(user);
    const res = await change(cookie, {
      current_password: 'not it',
      new_password: 'a different passphrase',
      confirm_password: 'a different passphrase',
    });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Your current password is not correct.');
    expect((await send('/', { cookie: other })).status).toBe(200);
    expect((await signInRequest(user.email, PASSWORD)).status).toBe(303);
  });

  it.each([
    ['7 characters', 'abc1234', 'at least 8'],
    ['257 characters', 'b'.repeat(257), 'at most 256'],
    ['a common password', 'qwertyuiop', 'too common'],
  ])('refuses a new password of %s', async (_, password, message) => {
    const user = await userWithPassword();
    const cookie = await sessionCookieFor(user);
    const res = await change(cookie, {
      current_password: PASSWORD,
      new_password: password,
      confirm_password: password,
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain(message);
    expect(html).toContain('id="new_password-error"');
    expect(html).not.toContain(password.slice(0, 20));
  });
});

describe('the avatar', () => {
  it.each([
    ['PNG', PNG, 'image/png'],
    ['JPEG', JPEG, 'image/jpeg'],
    ['WebP', WEBP, 'image/webp'],
  ])('accepts a %s picture and serves it back to signed-in users', async (_, bytes, type) => {
    const { user, cookie } = await signedIn();
    const res = await upload(cookie, bytes, { type: 'application/octet-stream', name: 'x.bin' });
    expect(res.status).toBe(204);
    expect(JSON.parse(res.headers.get('HX-Trigger')!)).toHaveProperty('profileUpdated');
    const key = (await userRow(user.id)).avatarKey!;
    expect(key).toMatch(new RegExp(`^avatars/${user.id}/[0-9a-f-]{36}$`));

    const viewer = await signedIn();
    const image = await send(`/avatars/${user.id}?v=1`, { cookie: viewer.cookie });
    expect(image.status).toBe(200);
    expect(image.headers.get('Content-Type')).toBe(type);
    expect(image.headers.get('Cache-Control')).toBe('private, max-age=86400');
    expect(image.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(bytes);

    const html = await (await send('/profile', { cookie, htmx: true })).text();
    expect(html).toContain(`src="/avatars/${user.id}?v=`);
  });

  it('replaces the old picture and deletes its object', async () => {
    const { user, cookie } = await signedIn();
    await upload(cookie, PNG);
    const first = (await userRow(user.id)).avatarKey!;
    await upload(cookie, JPEG, { type: 'image/jpeg' });
    const second = (await userRow(user.id)).avatarKey!;
    expect(second).not.toBe(first);
    expect(await env.AVATARS.head(first)).toBeNull();
    expect(await env.AVATARS.head(second)).not.toBeNull();
  });

  it('can be removed, back to initials', async () => {
    const { user, cookie } = await signedIn();
    await upload(cookie, PNG);
    const key = (await userRow(user.id)).avatarKey!;
    const res = await send('/profile/avatar/remove', { cookie, htmx: true, form: {} });
    expect(res.status).toBe(204);
    expect((await userRow(user.id)).avatarKey).toBeNull();
    expect(await env.AVATARS.head(key)).toBeNull();
    expect((await send(`/avatars/${user.id}`, { cookie })).status).toBe(404);
  });

  it('refuses a file that only claims to be an image', async () => {
    const { user, cookie } = await signedIn();
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const res = await upload(cookie, svg, { type: 'image/png', name: 'evil.png' });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('not a PNG, JPEG or WebP picture');
    expect((await userRow(user.id)).avatarKey).toBeNull();
  });

  it('refuses a form without a file', async () => {
    const { cookie } = await signedIn();
    const res = await send('/profile/avatar', { cookie, htmx: true, form: { avatar: 'text' } });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Choose a picture');
  });

  it('refuses a picture over 512 KB with 413, in the modal', async () => {
    const { user, cookie } = await signedIn();
    const big = new Uint8Array(512 * 1024 + 1);
    big.set(PNG);
    const res = await upload(cookie, big);
    expect(res.status).toBe(413);
    const html = await res.text();
    expect(html).toContain('larger than 512 KB');
    expect(html).toContain('id="modal-title"');
    expect((await userRow(user.id)).avatarKey).toBeNull();
  });

  it('refuses a much larger body before reading it', async () => {
    const { cookie } = await signedIn();
    const big = new Uint8Array(900 * 1024);
    big.set(PNG);
    const res = await upload(cookie, big);
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('larger than 512 KB');
  });

  it.each(['not-a-uuid', crypto.randomUUID()])('answers 404 for %s', async (id) => {
    const { cookie } = await signedIn();
    expect((await send(`/avatars/${id}`, { cookie })).status).toBe(404);
  });

  it('is not served without a session', async () => {
    const { user, cookie } = await signedIn();
    await upload(cookie, PNG);
    const res = await send(`/avatars/${user.id}`);
    expect(res.status).toBe(302);
  });
});
