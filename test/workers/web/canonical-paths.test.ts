import { vi } from 'vitest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app';
import { canonicalPath } from '../../../src/middleware/canonical-path';
import { makeProject } from '../fixtures';
import { send, signedIn } from '../helpers';
import { fileTicket } from '../tickets/fixtures';

const FORGED = `hticket_session=${crypto.randomUUID()}.${'a'.repeat(24)}`;

describe('canonicalPath', () => {
  it.each([
    ['/', '/'],
    ['//', '/'],
    ['/healthz//', '/healthz'],
    ['//healthz', '/healthz'],
    ['/p//ABC/t/1/', '/p/ABC/t/1'],
    ['/p/./ABC', '/p/ABC'],
    ['/p/ABC/../XYZ', '/p/XYZ'],
    ['/p/%2e%2E/healthz', '/healthz'],
    ['/../../healthz', '/healthz'],
    ['/.//evil.example', '/evil.example'],
    ['/join/abc', '/join/abc/'],
    ['/join/abc//', '/join/abc/'],
    ['/password-reset/abc/.', '/password-reset/abc/'],
    ['/password-reset', '/password-reset'],
  ])('%s → %s', (path, canonical) => {
    expect(canonicalPath(path)).toBe(canonical);
  });
});

/** Every route the app registers, with its parameters filled in from real data. */
function routesOf(fill: Record<string, string>) {
  const seen = new Set<string>();
  const out: { method: string; path: string }[] = [];
  for (const route of createApp().routes) {
    if (route.method === 'ALL' && route.path.includes('*')) continue;
    const path = route.path
      .replace(/:(\w+)/g, (_, name: string) => fill[name] ?? crypto.randomUUID())
      .replace(/\*$/, 'x');
    const method = route.method === 'ALL' ? 'GET' : route.method;
    const key = `${method} ${path}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ method, path });
    }
  }
  return out;
}

/** The path as the Worker receives it: the URL parser has already resolved dot segments. */
function received(variant: string): string {
  return new URL(`http://x${variant}`).pathname;
}

/** Spellings of `path` that still differ from the canonical one once they reach the Worker. */
function variants(path: string): string[] {
  const inner = path === '/' ? [] : [path.replace(/\/([^/]+)$/, '//$1'), path.replace('/', '/./'), `/x/..${path}/`];
  return [`/${path}`, `${path}/`, `${path}//`, `${path}/.`, ...inner].filter(
    (v) => canonicalPath(received(v)) !== received(v),
  );
}

describe('every route under a non-canonical spelling', () => {
  it('redirects a GET to the canonical path, refuses other methods with 404, and never answers 500', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { user, cookie } = await signedIn({ role: 'MANAGER' });
    const project = await makeProject({}, [user]);
    const number = await fileTicket(project, cookie);
    const routes = routesOf({ key: project.key, number: String(number), userId: user.id });
    expect(routes.length).toBeGreaterThan(30);

    const problems: string[] = [];
    for (const { method, path } of routes) {
      for (const variant of variants(path)) {
        for (const c of [undefined, FORGED, cookie]) {
          const res = await send(variant, {
            method,
            cookie: c,
            ...(method === 'POST' ? { form: { x: '1' } } : {}),
          });
          const expected = method === 'GET' || method === 'HEAD' ? 301 : 404;
          const location = res.headers.get('Location');
          if (res.status !== expected || (expected === 301 && location !== canonicalPath(received(variant)))) {
            problems.push(`${method} ${variant} (${c ? 'cookie' : 'no cookie'}): ${res.status} ${location ?? ''}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(errors).not.toHaveBeenCalled();
  });

  it('no longer turns GET /healthz// with a well-formed cookie into a 500', async () => {
    const res = await send('/healthz//', { cookie: FORGED });
    expect(res.status).toBe(301);
    expect(res.headers.get('Location')).toBe('/healthz');
    expect((await send('/healthz', { cookie: FORGED })).status).toBe(200);
  });

  it('keeps the query string and leaves canonical paths alone', async () => {
    const res = await send('/login/?next=%2Fp%2FABC');
    expect(res.status).toBe(301);
    expect(res.headers.get('Location')).toBe('/login?next=%2Fp%2FABC');
    expect((await send('/login?next=%2Fp%2FABC')).status).toBe(200);
    expect((await send(`/join/${crypto.randomUUID()}`)).headers.get('Location')).toMatch(/^\/join\/[0-9a-f-]{36}\/$/);
  });
});
