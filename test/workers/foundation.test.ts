import { describe, expect, it } from 'vitest';
import { getConfig, ConfigError, type Env } from '../../src/env';
import { roundTrips, send, signedIn } from './helpers';

describe('foundation', () => {
  it('answers /healthz without a session', async () => {
    const res = await send('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('sends a browser without a session to sign-in, keeping where it was going', async () => {
    const res = await send('/p/ABC/board');
    expect(res.status).toBe(302);
    expect(res.headers.get('Location')).toBe('/login?next=%2Fp%2FABC%2Fboard');
  });

  it('answers an htmx request without a session with HX-Redirect, not a page in the modal', async () => {
    const res = await send('/projects/new', { htmx: true, headers: { 'HX-Current-URL': 'http://hticket.test/p/ABC' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('HX-Redirect')).toBe('/login?next=%2Fp%2FABC');
    expect(await res.text()).not.toContain('<html');
  });

  it('renders the dashboard inside the layout for a signed-in user, in one database round trip', async () => {
    const { user, cookie } = await signedIn({ name: 'Ada Lovelace' });
    const res = await send('/', { cookie });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html><html lang="en">/);
    // Empty, the dialog is named by nothing (app.js names it by the title of what it shows).
    expect(html).toContain('<dialog id="modal"><div id="dialog"></div></dialog>');
    expect(html).toContain(user.name);
    expect(res.headers.get('Vary')).toContain('HX-Request');
    expect(roundTrips(res)).toBe(1);
  });

  it('loads no external URL from the layout', async () => {
    const { cookie } = await signedIn();
    const html = await (await send('/', { cookie })).text();
    const urls = [...html.matchAll(/(?:src|href|action)="([^"]+)"/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThan(3);
    for (const url of urls) expect(url, url).toMatch(/^(\/(?!\/)|#)/);
    // One stylesheet (Pico and app.css) and one script (htmx and app.js), both built into static/.
    expect([...html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1])).toEqual(['/app.css']);
    expect([...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1])).toEqual(['/app.js']);
  });

  it('sets the security headers on pages, partials and errors alike', async () => {
    const { cookie } = await signedIn();
    for (const res of [
      await send('/', { cookie }),
      await send('/nope', { cookie, htmx: true }),
      await send('/healthz'),
    ]) {
      const csp = res.headers.get('Content-Security-Policy') ?? '';
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=_-]+'/);
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    }
  });

  it('puts the CSP nonce on the page scripts', async () => {
    const { cookie } = await signedIn();
    const res = await send('/', { cookie });
    const nonce = /'nonce-([^']+)'/.exec(res.headers.get('Content-Security-Policy') ?? '')![1];
    expect(await res.text()).toContain(`<script src="/app.js" nonce="${nonce}" defer=""></script>`);
  });

  it.each(['/%E0%A4%A', '/p/../../etc/passwd', '/p/%00/t/1', '/does-not-exist', `/${'x'.repeat(5000)}`])(
    'answers the malformed path %s with the 404 page, never a 500',
    async (path) => {
      const { cookie } = await signedIn();
      const res = await send(path, { cookie });
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('Not found');
    },
  );

  it('renders the 404 as a partial for htmx', async () => {
    const { cookie } = await signedIn();
    const res = await send('/nothing-here', { cookie, htmx: true });
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).not.toContain('<html');
    expect(html).toContain('id="modal-title"');
  });

  it('refuses a body larger than the limit with 413', async () => {
    const { cookie } = await signedIn();
    const res = await send('/', { cookie, form: { big: 'x'.repeat(1024 * 1024 + 10) } });
    expect(res.status).toBe(413);
  });
});

describe('configuration', () => {
  const base = { APP_ORIGIN: 'http://127.0.0.1:8787', TOKEN_SECRET: 'x'.repeat(32) } as unknown as Env;

  it('parses a valid configuration with defaults', () => {
    const config = getConfig({ ...base, ENVIRONMENT: 'development' });
    expect(config.MAIL_TRANSPORT).toBe('log');
    expect(config.INVITE_TTL_DAYS).toBe(7);
    expect(getConfig({ ...base, ENVIRONMENT: 'test' }).MAIL_TRANSPORT).toBe('log');
  });

  it('never prints emails (join and reset links) to the logs in production unless told to', () => {
    expect(() => getConfig({ ...base })).toThrow(ConfigError);
    expect(() => getConfig({ ...base, ENVIRONMENT: 'production' })).toThrow(/MAIL_TRANSPORT: required in production/);
    expect(() => getConfig({ ...base, ENVIRONMENT: 'production', MAIL_TRANSPORT: '' })).toThrow(/MAIL_TRANSPORT/);
    expect(getConfig({ ...base, ENVIRONMENT: 'production', MAIL_TRANSPORT: 'log' }).MAIL_TRANSPORT).toBe('log');
    const http = { ...base, ENVIRONMENT: 'production', MAIL_TRANSPORT: 'http', MAIL_API_KEY: 'k' };
    expect(getConfig(http).MAIL_TRANSPORT).toBe('http');
  });

  it('names the missing variable', () => {
    expect(() => getConfig({ TOKEN_SECRET: 'x'.repeat(32) } as unknown as Env)).toThrow(/APP_ORIGIN/);
  });

  it('names a malformed variable', () => {
    expect(() => getConfig({ ...base, INVITE_TTL_DAYS: 'soon' } as Env)).toThrow(ConfigError);
    expect(() => getConfig({ ...base, INVITE_TTL_DAYS: 'soon' } as Env)).toThrow(/INVITE_TTL_DAYS/);
  });

  it('reads the password hash cost, 14 unless set, and names it when it is out of range', () => {
    expect(getConfig({ ...base, ENVIRONMENT: 'test' } as Env).PASSWORD_HASH_COST).toBe(14);
    expect(getConfig({ ...base, ENVIRONMENT: 'test', PASSWORD_HASH_COST: '11' } as Env).PASSWORD_HASH_COST).toBe(11);
    for (const bad of ['9', '16', '12.5', 'strong']) {
      expect(() => getConfig({ ...base, ENVIRONMENT: 'test', PASSWORD_HASH_COST: bad } as Env)).toThrow(
        /PASSWORD_HASH_COST/,
      );
    }
  });

  it('requires an API key for the HTTP mail transport', () => {
    expect(() => getConfig({ ...base, MAIL_TRANSPORT: 'http' } as Env)).toThrow(/MAIL_API_KEY/);
  });
});
