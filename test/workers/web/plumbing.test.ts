/** Request plumbing written once: Vary from one middleware, the htmx-or-redirect answer, URL parameter checks. */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { htmxOrRedirect, varyOnHtmx } from '../../../src/web/htmx';
import { makeProject } from '../fixtures';
import { createUser, roundTrips, send, sessionCookieFor } from '../helpers';

describe('request plumbing', () => {
  it('sends Vary: HX-Request on every response, redirects and JSON included', async () => {
    for (const res of [await send('/healthz'), await send('/'), await send('/login', { htmx: true })]) {
      expect(res.headers.get('Vary') ?? '').toMatch(/\bHX-Request\b/);
    }
  });

  it('adds HX-Request to a Vary the handler set, once', async () => {
    const app = new Hono().use(varyOnHtmx()).get('/', (c) => {
      c.header('Vary', 'Accept-Encoding');
      return c.text('ok');
    });
    const res = await app.request('/');
    expect(res.headers.get('Vary')).toBe('Accept-Encoding, HX-Request');
  });

  it('answers htmx with the handler and a plain form post with a 303', async () => {
    const app = new Hono().post('/', (c) => htmxOrRedirect(c, '/done', () => c.text('swapped')));
    const plain = await app.request('/', { method: 'POST' });
    expect(plain.status).toBe(303);
    expect(plain.headers.get('Location')).toBe('/done');
    const htmx = await app.request('/', { method: 'POST', headers: { 'HX-Request': 'true' } });
    expect(await htmx.text()).toBe('swapped');
  });

  it('answers a malformed project key or member id with 404 before any query', async () => {
    const manager = await createUser({ role: 'MANAGER' });
    const cookie = await sessionCookieFor(manager);
    const project = await makeProject({}, [manager]);
    for (const path of ['/p/not-a-key/settings', `/p/${project.key}/members/not-a-uuid/remove`]) {
      const res = await send(path, { cookie, method: 'POST', form: {} });
      expect(res.status, path).toBe(404);
      expect(roundTrips(res), path).toBe(0);
    }
  });
});
