import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { sessions, users } from '../../../src/db/schema';
import { makeProject, uniqueKey } from '../fixtures';
import { createUser, send, signedIn, testDb } from '../helpers';
import { memberIds, projectByKey } from './fixtures';

/** Every project write, with a body that would change something if it were accepted. */
function writes(key: string, userId: string, newKey: string): { path: string; form: Record<string, string> }[] {
  return [
    { path: '/projects', form: { name: 'Created', key: newKey, description: '' } },
    { path: `/p/${key}/settings`, form: { name: 'Renamed', description: 'changed' } },
    { path: `/p/${key}/archive`, form: {} },
    { path: `/p/${key}/members`, form: { userId } },
    { path: `/p/${key}/delete`, form: { confirmKey: key } },
  ];
}

async function state(key: string, newKey: string) {
  const project = await projectByKey(key);
  return { project, members: project ? await memberIds(project) : [], created: await projectByKey(newKey) };
}

describe('project writes with bad input', () => {
  it.each([
    ['multipart without a boundary', 'multipart/form-data', 'name=x'],
    ['multipart with a broken body', 'multipart/form-data; boundary=zzz', 'not multipart at all'],
  ])('answer %s with 400 and change nothing', async (_label, contentType, body) => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const project = await makeProject({ name: 'Intact' });
    const newKey = uniqueKey();
    const before = await state(project.key, newKey);
    for (const { path } of writes(project.key, crypto.randomUUID(), newKey)) {
      if (path.endsWith('/archive')) continue; // no fields: the body is not read
      for (const htmx of [true, false]) {
        const res = await send(path, { cookie, htmx, method: 'POST', body, headers: { 'Content-Type': contentType } });
        expect(res.status, `${path} htmx=${htmx}`).toBe(400);
        expect(await res.text()).toContain('Request refused');
      }
    }
    expect(await state(project.key, newKey)).toEqual(before);
  });

  it.each([
    ['JSON', 'application/json'],
    ['plain text', 'text/plain'],
  ])('re-render the forms with 422 for a %s body and change nothing', async (_label, contentType) => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const project = await makeProject({ name: 'Intact' });
    const newKey = uniqueKey();
    const before = await state(project.key, newKey);
    for (const { path, form } of writes(project.key, crypto.randomUUID(), newKey)) {
      if (path.endsWith('/archive')) continue; // no fields: the body is not read
      const body = contentType === 'application/json' ? JSON.stringify(form) : new URLSearchParams(form).toString();
      const res = await send(path, {
        cookie,
        htmx: true,
        method: 'POST',
        body,
        headers: { 'Content-Type': contentType },
      });
      expect(res.status, path).toBe(422);
      expect(await res.text(), path).toContain('class="field-error"');
    }
    expect(await state(project.key, newKey)).toEqual(before);
  });

  it('refuses repeated fields with 422 instead of picking one', async () => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const project = await makeProject({ name: 'Intact' });
    const candidate = await createUser();
    const newKey = uniqueKey();
    const before = await state(project.key, newKey);
    const cases: { path: string; form: Record<string, string | string[]> }[] = [
      { path: '/projects', form: { name: ['A', 'B'], key: newKey } },
      { path: `/p/${project.key}/settings`, form: { name: 'Renamed', description: ['a', 'b'] } },
      { path: `/p/${project.key}/members`, form: { userId: [candidate.id, candidate.id] } },
      { path: `/p/${project.key}/delete`, form: { confirmKey: [project.key, project.key] } },
    ];
    for (const { path, form } of cases) {
      const res = await send(path, { cookie, htmx: true, form });
      expect(res.status, path).toBe(422);
    }
    expect(await state(project.key, newKey)).toEqual(before);
  });

  it('accepts the forms sent as multipart, as a browser may', async () => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const project = await makeProject({ name: 'Multipart' });
    const candidate = await createUser();
    const multipart = (fields: Record<string, string>) => {
      const data = new FormData();
      for (const [k, v] of Object.entries(fields)) data.append(k, v);
      return data;
    };
    const add = await send(`/p/${project.key}/members`, {
      cookie,
      htmx: true,
      body: multipart({ userId: candidate.id }),
    });
    expect(add.status).toBe(200);
    expect(await memberIds(project)).toEqual([candidate.id]);
    const file = new FormData();
    file.append('confirmKey', new File([project.key], 'key.txt'));
    expect((await send(`/p/${project.key}/delete`, { cookie, htmx: true, body: file })).status).toBe(422);
    const del = await send(`/p/${project.key}/delete`, {
      cookie,
      htmx: true,
      body: multipart({ confirmKey: project.key }),
    });
    expect(del.status).toBe(204);
    expect(await projectByKey(project.key)).toBeUndefined();
  });

  it('keeps unicode names as typed and escapes them', async () => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const key = uniqueKey();
    const name = 'Ünïcödé 🚀 "<b>"';
    const res = await send('/projects', { cookie, htmx: true, form: { name, key } });
    expect(res.status).toBe(204);
    expect((await projectByKey(key))?.name).toBe(name);
    const html = await (await send('/', { cookie })).text();
    expect(html).toContain('Ünïcödé 🚀 &quot;&lt;b&gt;&quot;');
  });

  it('refuses a body over the size limit with 413 and changes nothing', async () => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const project = await makeProject({ name: 'Small' });
    const res = await send(`/p/${project.key}/settings`, {
      cookie,
      htmx: true,
      form: { name: 'Big', description: 'd'.repeat(1024 * 1024 + 1) },
    });
    expect(res.status).toBe(413);
    expect((await projectByKey(project.key))?.name).toBe('Small');
  });
});

describe('project writes without a valid session', () => {
  it.each([
    ['a forged secret', 'forged'],
    ['an expired session', 'expired'],
    ['a disabled user', 'disabled'],
  ])('change nothing for %s', async (_label, how) => {
    const db = testDb();
    const manager = await signedIn({ role: 'MANAGER' });
    const project = await makeProject({ name: 'Untouched' });
    const candidate = await createUser();
    const newKey = uniqueKey();
    const before = await state(project.key, newKey);
    let cookie = manager.cookie;
    if (how === 'forged') cookie = cookie.replace(/\.[a-z2-7]+$/, `.${'a'.repeat(24)}`);
    if (how === 'expired') await db.update(sessions).set({ expiresAt: 1 }).where(eq(sessions.userId, manager.user.id));
    if (how === 'disabled') await db.update(users).set({ disabledAt: 1 }).where(eq(users.id, manager.user.id));
    for (const { path, form } of writes(project.key, candidate.id, newKey)) {
      const res = await send(path, { cookie, htmx: true, form });
      expect(res.status, path).toBe(401);
      expect(res.headers.get('HX-Redirect'), path).toMatch(/^\/login/);
    }
    expect(await state(project.key, newKey)).toEqual(before);
  });
});
