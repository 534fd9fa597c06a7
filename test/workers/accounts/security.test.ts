import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { safeNextPath } from '../../../src/web/redirects';
import { send, signedIn } from '../helpers';
import { freshIp } from './account-helpers';

function expectBaseline(res: Response, label: string) {
  const csp = res.headers.get('Content-Security-Policy') ?? '';
  expect(csp, label).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=_-]+'/);
  expect(csp, label).toContain("object-src 'none'");
  expect(csp, label).toContain("base-uri 'none'");
  expect(csp, label).toContain("frame-ancestors 'none'");
  expect(res.headers.get('X-Content-Type-Options'), label).toBe('nosniff');
  expect(res.headers.get('Referrer-Policy'), label).toBeTruthy();
}

describe('cross-site requests', () => {
  it('refuses a POST from another origin with a readable 403', async () => {
    const { cookie } = await signedIn();
    const res = await send('/profile', {
      cookie,
      form: { name: 'Mallory' },
      headers: { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' },
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('sent from another site');
    expectBaseline(res, '403');
  });

  it('refuses a POST with neither Origin nor Sec-Fetch-Site', async () => {
    const { cookie } = await signedIn();
    const res = await send('/profile', { cookie, form: { name: 'Mallory' }, headers: { 'x-no-origin': '1' } });
    expect(res.status).toBe(403);
  });

  it('refuses a sign-out from another site', async () => {
    const { cookie } = await signedIn();
    const res = await send('/logout', { method: 'POST', cookie, headers: { Origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
    expect((await send('/', { cookie })).status).toBe(200);
  });

  it('refuses a cross-site POST whatever its content type', async () => {
    const { cookie } = await signedIn();
    const res = await send('/profile', {
      cookie,
      body: JSON.stringify({ name: 'Mallory' }),
      headers: { 'Content-Type': 'application/json', 'x-no-origin': '1' },
    });
    expect(res.status).toBe(403);
  });

  it('accepts a same-origin POST told by Sec-Fetch-Site alone', async () => {
    const res = await send('/login', {
      form: { email: 'a@example.com', password: '' },
      headers: { 'x-no-origin': '1', 'Sec-Fetch-Site': 'same-origin', 'CF-Connecting-IP': freshIp() },
    });
    expect(res.status).toBe(422);
  });
});

describe('the security baseline on every response', () => {
  it('is on pages, partials, redirects and errors', async () => {
    const { cookie } = await signedIn();
    const responses: [string, Response][] = [
      ['sign-in page', await send('/login')],
      ['profile partial', await send('/profile', { cookie, htmx: true })],
      ['redirect', await send('/')],
      ['404 partial', await send('/nope', { cookie, htmx: true })],
      ['413', await send('/login', { form: { email: 'x'.repeat(1024 * 1024 + 1), password: 'x' } })],
      ['405', await send('/logout', { cookie })],
      ['422', await send('/login', { form: { email: '', password: '' }, headers: { 'CF-Connecting-IP': freshIp() } })],
    ];
    for (const [label, res] of responses) expectBaseline(res, label);
  });

  it('sends HSTS only over https', async () => {
    const plain = await send('/login');
    expect(plain.headers.get('Strict-Transport-Security')).toBeNull();
    const secure = await exports.default.fetch(new Request('https://hticket.test/login'));
    expect(secure.headers.get('Strict-Transport-Security')).toMatch(/max-age=31536000/);
    expectBaseline(secure, 'https');
  });

  it('answers an oversized body with a readable 413 before reading it', async () => {
    const { cookie } = await signedIn();
    const res = await send('/profile', { cookie, form: { name: 'x'.repeat(1024 * 1024 + 10) } });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('too large');
  });
});

describe('safeNextPath', () => {
  it.each([
    'https://evil.example',
    '//evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '/.//evil.example',
    '/a/..//evil.example',
    '/%2e//evil.example',
    'javascript:alert(1)',
    '/\tevil',
    'evil.example',
    '',
    `/${'a'.repeat(2001)}`,
  ])('refuses %s', (value) => {
    expect(safeNextPath(value)).toBe('/');
  });

  it.each(['/', '/p/ABC', '/p/ABC/board?status=OPEN&q=a%20b', '/p/ABC#t-1'])('keeps %s', (value) => {
    expect(safeNextPath(value)).toBe(value);
  });

  it('resolves dot segments that stay on this site', () => {
    expect(safeNextPath('/p/../profile')).toBe('/profile');
  });
});
