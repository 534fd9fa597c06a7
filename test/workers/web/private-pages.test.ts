import { describe, expect, it } from 'vitest';
import { makeProject } from '../fixtures';
import { send, signedIn } from '../helpers';
import { fileTicket } from '../tickets/fixtures';

describe('answers to a signed-in person', () => {
  it('are never stored by a cache: pages, partials, form errors, not-found pages and redirects', async () => {
    const { user, cookie } = await signedIn();
    const project = await makeProject({}, [user]);
    const number = await fileTicket(project, cookie);
    const answers = [
      await send('/', { cookie }),
      await send(`/p/${project.key}/t/${number}`, { cookie }),
      await send(`/p/${project.key}/t/${number}`, { cookie, htmx: true }),
      await send(`/p/${project.key}/tickets`, { cookie, htmx: true }),
      await send('/profile/chip', { cookie, htmx: true }),
      await send(`/p/${project.key}/t`, { cookie, htmx: true, form: { title: '' } }),
      await send('/p/NOPE', { cookie }),
      await send(`/p/${project.key}/t/999999`, { cookie, htmx: true }),
      await send('/login', { cookie }),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 422, 404, 404, 303]);
    for (const res of answers) expect(res.headers.get('Cache-Control')).toBe('no-store, private');
  });

  it('says the same for a cookie that turns out to be stale, while public pages stay cacheable as before', async () => {
    const stale = await send('/', { cookie: `hticket_session=${crypto.randomUUID()}.${'a'.repeat(24)}` });
    expect(stale.status).toBe(302);
    expect(stale.headers.get('Cache-Control')).toBe('no-store, private');
    expect((await send('/login')).headers.get('Cache-Control')).toBeNull();
  });

  it('end with sign-out clearing the browser caches', async () => {
    const { cookie } = await signedIn();
    const res = await send('/logout', { cookie, method: 'POST' });
    expect(res.status).toBe(303);
    expect(res.headers.get('Clear-Site-Data')).toBe('"cache"');
  });
});
