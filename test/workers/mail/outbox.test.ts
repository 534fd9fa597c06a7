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

async function fetchWith(path: string, overrides: Partial<Env>, headers: Record<string, string> = {}) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`http://hticket.test${path}`, { headers }),
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
    const res = await send('/dev/mail');
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
    const res = await send('/dev/mail', { htmx: true });
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
    const html = await (await send('/dev/mail')).text();
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('&lt;b&gt;bold&lt;/b&gt;');
    expect(html).toContain('<a href="http://hticket.test/p/AB?x=">http://hticket.test/p/AB?x=</a>');
  });

  it('shows the links built from APP_ORIGIN even when the page is reached on another host', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const { invitation, message } = await createInvitation();
    await consume([message]);
    const res = await fetchWith('/dev/mail', {}, { Host: 'evil.example', 'X-Forwarded-Host': 'evil.example' });
    const html = await res.text();
    expect(html).toContain(`http://hticket.test/join/${await invitationToken(env.TOKEN_SECRET!, invitation)}/`);
    expect(html).not.toContain('evil.example');
  });

  it('does not exist in production', async () => {
    const res = await fetchWith('/dev/mail', { ENVIRONMENT: 'production' });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Not found');
  });

  it('does not exist on a public origin even when ENVIRONMENT was left at development', async () => {
    const res = await fetchWith('/dev/mail', { ENVIRONMENT: 'development', APP_ORIGIN: 'https://tickets.example.com' });
    expect(res.status).toBe(404);
    const local = await fetchWith('/dev/mail', { ENVIRONMENT: 'development', APP_ORIGIN: 'http://127.0.0.1:8787' });
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
    const html = await (await send('/dev/mail')).text();
    expect(html).toContain('not sent: the password reset no longer exists');
  });
});
