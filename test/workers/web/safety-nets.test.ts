import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../../src/app';
import { ORIGIN, send, signedIn } from '../helpers';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('deny by default', () => {
  // A route someone added without calling authenticate(): the app must not serve it to whoever has a cookie.
  function appWithUncheckedRoute() {
    const app = createApp();
    app.get('/unchecked', (c) => c.text('private data'));
    return app;
  }
  const get = (app: ReturnType<typeof createApp>, cookie?: string) =>
    app.fetch(
      new Request(`${ORIGIN}/unchecked`, { headers: cookie ? { Cookie: cookie } : {}, redirect: 'manual' }),
      env,
      createExecutionContext(),
    );

  it('turns a success from a route that never checked the session into a 500', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { cookie } = await signedIn();
    const res = await get(appWithUncheckedRoute(), cookie);
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('private data');
    expect(String(logged.mock.calls[0]?.[1])).toContain('GET /unchecked answered without checking the session');
  });

  it('sends a request without a session cookie to sign-in before the route runs', async () => {
    const res = await get(appWithUncheckedRoute());
    expect(res.status).toBe(302);
    expect(res.headers.get('Location')).toBe('/login?next=%2Funchecked');
  });
});

describe('page or partial', () => {
  // The new-project form: a modal's content for htmx, a page of its own otherwise.
  const form = '/projects/new';

  it('answers an htmx request with the partial only', async () => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const html = await (await send(form, { cookie, htmx: true })).text();
    expect(html).not.toContain('<html');
    expect(html).toContain('id="modal-title"');
  });

  it('answers a history restore with the whole page, though htmx sent it', async () => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const res = await send(form, { cookie, htmx: true, headers: { 'HX-History-Restore-Request': 'true' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html><html lang="en">/);
    expect(html).toContain('id="page-title"');
  });

  it('answers a request htmx marks as a full-page one with the whole page', async () => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const res = await send(form, { cookie, htmx: true, headers: { 'HX-Request-Type': 'full' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html><html lang="en">/);
    expect(html).toContain('id="page-title"');
  });
});
