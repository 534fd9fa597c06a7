import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mailDeliveries } from '../../../src/db/schema';
import type { Env } from '../../../src/env';
import worker from '../../../src/index';
import { invitationToken } from '../../../src/lib/links';
import { send, testDb } from '../helpers';
import { consume, createInvitation, planned } from './mail-helpers';

afterEach(() => {
  vi.restoreAllMocks();
});

const OUTBOX = `/dev/mail?key=${env.DEV_OUTBOX_KEY}`;

async function fetchWith(path: string, overrides: Partial<Env>, headers: Record<string, string> = {}) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${overrides.APP_ORIGIN ?? 'http://hticket.test'}${path}`, { headers }),
    { ...env, ...overrides } as Env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

describe('the development outbox', () => {
  it('lists the emails with their links clickable, without a session', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const { invitation, message } = await createInvitation();
    await consume([message]);
    const res = await send(OUTBOX);
    expect(res.status).toBe(200);
    expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/);
    const link = `http://hticket.test/join/${await invitationToken(env.TOKEN_SECRET!, invitation)}/`;
    expect(html).toContain(`<a href="${link}">${link}</a>`);
    expect(html).toContain(`to ${invitation.email}`);
    expect(html).toContain('Grace Hopper invited you to hticket');
  });

  it('shows the newest email first and answers htmx with the list alone', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const first = await createInvitation();
    await consume([first.message]);
    const second = await createInvitation();
    await consume([second.message]);
    const res = await send(OUTBOX, { htmx: true });
    const html = await res.text();
    expect(html).not.toContain('<html');
    expect(html).toMatch(/^<section id="outbox"/);
    expect(html.indexOf(second.invitation.email)).toBeLessThan(html.indexOf(first.invitation.email));
  });

  it('escapes what users wrote and links only http(s) URLs', async () => {
    const id = crypto.randomUUID();
    await testDb()
      .insert(mailDeliveries)
      .values({
        id,
        kind: 'invitation',
        refId: crypto.randomUUID(),
        recipient: 'x@example.com',
        status: 'SENT',
        subject: '<img src=x onerror=alert(1)>',
        textBody: 'javascript:alert(1) and <b>bold</b> http://hticket.test/p/AB?x="y"',
        createdAt: Date.now() + 60_000,
      });
    const html = await (await send(OUTBOX)).text();
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('&lt;b&gt;bold&lt;/b&gt;');
    expect(html).toContain('<a href="http://hticket.test/p/AB?x=">http://hticket.test/p/AB?x=</a>');
  });

  it('refuses a request addressed to another host: a page rebinding its DNS name to this machine gets nothing', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const { message } = await createInvitation();
    await consume([message]);
    for (const host of ['evil.example', 'evil.example:8787', 'hticket.test.evil.example']) {
      const res = await fetchWith(OUTBOX, {}, { Host: host });
      expect(res.status).toBe(421);
      expect(await res.text()).not.toContain('/join/');
    }
    // The reset form and the sign-in form are refused the same way.
    const post = await worker.fetch(
      new Request('http://hticket.test/password-reset', {
        method: 'POST',
        headers: {
          Host: 'evil.example:8787',
          Origin: 'http://hticket.test',
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: 'email=someone%40example.com',
      }),
      env,
      createExecutionContext(),
    );
    expect(post.status).toBe(421);
    // Its own host and the loopback names still work.
    for (const host of ['hticket.test', '127.0.0.1:8787', 'localhost:8787', '[::1]:8787']) {
      expect((await fetchWith(OUTBOX, {}, { Host: host })).status).toBe(200);
    }
  });

  it('needs the key of the run: without it, or with another, there is no outbox', async () => {
    for (const path of ['/dev/mail', '/dev/mail?key=', '/dev/mail?key=test-outbox-key-0123456788']) {
      expect((await send(path)).status).toBe(404);
    }
    expect((await fetchWith(OUTBOX, { DEV_OUTBOX_KEY: undefined })).status).toBe(404);
    const html = await (await send(OUTBOX)).text();
    // Its own Refresh link carries the key.
    expect(html).toContain(`hx-get="/dev/mail?key=${env.DEV_OUTBOX_KEY}"`);
  });

  it('is not guarded by the host check in production (there is no outbox there)', async () => {
    const res = await fetchWith(
      '/healthz',
      { ENVIRONMENT: 'production', MAIL_TRANSPORT: 'log' },
      { Host: 'tickets.example.com' },
    );
    expect(res.status).toBe(200);
  });

  it('does not exist in production', async () => {
    const res = await fetchWith(OUTBOX, { ENVIRONMENT: 'production' });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Not found');
  });

  it('does not exist on a public origin even when ENVIRONMENT was left at development', async () => {
    const res = await fetchWith(OUTBOX, { ENVIRONMENT: 'development', APP_ORIGIN: 'https://tickets.example.com' });
    expect(res.status).toBe(404);
    const local = await fetchWith(OUTBOX, { ENVIRONMENT: 'development', APP_ORIGIN: 'http://127.0.0.1:8787' });
    expect(local.status).toBe(200);
  });

  it('keeps no email body when the origin is public', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const { message } = await createInvitation();
    await consume([message], { env: { ENVIRONMENT: 'development', APP_ORIGIN: 'https://tickets.example.com' } });
    const [row] = await testDb().select().from(mailDeliveries).where(eq(mailDeliveries.id, message.deliveryId));
    expect(row!.status).toBe('SENT');
    expect(row!.textBody).toBeNull();
  });

  it('keeps no email body in a production database', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const { message } = await createInvitation();
    await consume([message], { env: { ENVIRONMENT: 'production' } });
    const [row] = await testDb().select().from(mailDeliveries).where(eq(mailDeliveries.id, message.deliveryId));
    expect(row!.status).toBe('SENT');
    expect(row!.subject).toBe('Grace Hopper invited you to hticket');
    expect(row!.textBody).toBeNull();
  });

  it('says when an email was not sent and why', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const message = await planned({ type: 'password_reset', id: crypto.randomUUID() }, 'someone@example.com');
    await consume([message]);
    const html = await (await send(OUTBOX)).text();
    expect(html).toContain('not sent: the password reset no longer exists');
  });
});
