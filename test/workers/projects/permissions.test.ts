import { describe, expect, it } from 'vitest';
import { makeProject } from '../fixtures';
import { createUser, roundTrips, send, signedIn } from '../helpers';
import { memberIds, projectByKey } from './fixtures';

/** Every management route of a project, with a body that would change something if it were allowed. */
function managementRequests(key: string, userId: string) {
  return [
    { method: 'GET', path: `/p/${key}/settings` },
    { method: 'POST', path: `/p/${key}/settings`, form: { name: 'Hijacked', description: 'x' } },
    { method: 'POST', path: `/p/${key}/settings`, form: { name: '', description: 'invalid too' } },
    { method: 'POST', path: `/p/${key}/archive`, form: {} },
    { method: 'POST', path: `/p/${key}/unarchive`, form: {} },
    { method: 'GET', path: `/p/${key}/delete` },
    { method: 'POST', path: `/p/${key}/delete`, form: { confirmKey: key } },
    { method: 'POST', path: `/p/${key}/delete`, form: { confirmKey: 'WRONG' } },
    { method: 'GET', path: `/p/${key}/members` },
    { method: 'POST', path: `/p/${key}/members`, form: { userId } },
    { method: 'GET', path: `/p/${key}/members/${userId}/remove` },
    { method: 'POST', path: `/p/${key}/members/${userId}/remove`, form: {} },
  ] as const;
}

async function snapshot(key: string) {
  const project = await projectByKey(key);
  return { project, members: project ? (await memberIds(project)).sort() : [] };
}

describe('who may manage a project', () => {
  it.each([true, false])('refuses a member with 403 and changes nothing (htmx: %s)', async (htmx) => {
    const member = await signedIn();
    const outsider = await createUser();
    const project = await makeProject({ name: 'Guarded' }, [member.user]);
    const before = await snapshot(project.key);
    for (const { method, path, ...rest } of managementRequests(project.key, outsider.id)) {
      const res = await send(path, { method, cookie: member.cookie, htmx, ...('form' in rest ? rest : {}) });
      expect(res.status, `${method} ${path}`).toBe(403);
      const html = await res.text();
      expect(html).toContain('Only managers can');
      expect(html.includes('<html'), `${method} ${path}`).toBe(!htmx);
    }
    // Removing themself is a management action as well.
    const self = await send(`/p/${project.key}/members/${member.user.id}/remove`, {
      cookie: member.cookie,
      htmx,
      form: {},
    });
    expect(self.status).toBe(403);
    expect(await snapshot(project.key)).toEqual(before);
  });

  it.each([true, false])('answers a non-member 404 and changes nothing (htmx: %s)', async (htmx) => {
    const stranger = await signedIn();
    const member = await createUser();
    const project = await makeProject({ name: 'Hidden' }, [member]);
    const before = await snapshot(project.key);
    for (const { method, path, ...rest } of managementRequests(project.key, member.id)) {
      const res = await send(path, { method, cookie: stranger.cookie, htmx, ...('form' in rest ? rest : {}) });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(await res.text()).not.toContain('Hidden');
    }
    expect(await snapshot(project.key)).toEqual(before);
  });

  it('answers the same 404 for a project that does not exist', async () => {
    const { cookie } = await signedIn();
    const res = await send('/p/NOSUCH/settings', { cookie, htmx: true });
    expect(res.status).toBe(404);
  });

  it('lets a manager manage a project they are not a member of', async () => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const project = await makeProject({ name: 'Anyone’s' });
    const res = await send(`/p/${project.key}/settings`, {
      cookie,
      htmx: true,
      form: { name: 'Managed', description: '' },
    });
    expect(res.status).toBe(204);
    expect((await projectByKey(project.key))?.name).toBe('Managed');
  });

  it.each(['abc', 'A', 'ABCDEFG', 'AB1', 'A-B', '%00AB'])(
    'answers a malformed key in the URL (%s) with 404 before any query',
    async (key) => {
      const { cookie } = await signedIn({ role: 'MANAGER' });
      for (const path of [`/p/${key}/settings`, `/p/${key}/members`, `/p/${key}/delete`]) {
        const res = await send(path, { cookie, htmx: true });
        expect(res.status, path).toBe(404);
        expect(roundTrips(res), path).toBe(0);
      }
      const post = await send(`/p/${key}/archive`, { cookie, htmx: true, form: {} });
      expect(post.status).toBe(404);
    },
  );

  it('refuses a cross-site form post', async () => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const project = await makeProject({ name: 'Csrf' });
    const res = await send(`/p/${project.key}/delete`, {
      cookie,
      form: { confirmKey: project.key },
      headers: { Origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
    expect(await projectByKey(project.key)).toBeDefined();
  });
});
