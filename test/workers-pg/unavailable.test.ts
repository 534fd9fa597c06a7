/**
 * PostgreSQL down or refusing the password (the workers-pg project's PG_DOWN and PG_REFUSED Hyperdrive bindings, used
 * in place of HYPERDRIVE): every page answers 503 with a readable message and the usual headers, never a stack trace,
 * and the mail consumer retries its messages instead of dropping them.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index';
import type { Env } from '../../src/env';
import { ORIGIN } from '../workers/helpers';
import { consume } from '../workers/mail/mail-helpers';

const broken = { down: env.PG_DOWN, refusing: env.PG_REFUSED };
const COOKIE = `hticket_session=${crypto.randomUUID()}.${'a'.repeat(24)}`;

async function fetchWith(hyperdrive: Hyperdrive | undefined, path: string, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${ORIGIN}${path}`, { redirect: 'manual', ...init }),
    { ...env, HYPERDRIVE: hyperdrive } as Env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

describe.each(Object.entries(broken))('PostgreSQL %s', (_, hyperdrive) => {
  it('is configured for this project', () => {
    expect(hyperdrive?.connectionString).toMatch(/^postgres/);
  });

  for (const [path, init] of [
    ['/login', {}],
    ['/', { headers: { Cookie: COOKIE } }],
    ['/p/ABC/t/1', { headers: { Cookie: COOKIE, 'HX-Request': 'true' } }],
    [
      '/login',
      {
        method: 'POST',
        headers: { Origin: ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'email=a%40example.com&password=whatever-password',
      },
    ],
  ] as const) {
    it(`answers ${init && 'method' in init ? 'POST' : 'GET'} ${path} with 503 and a readable page`, async () => {
      const res = await fetchWith(hyperdrive, path, init as RequestInit);
      expect(res.status).toBe(503);
      expect(res.headers.get('Retry-After')).toBe('5');
      expect(res.headers.get('Content-Security-Policy')).toContain("object-src 'none'");
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
      const body = await res.text();
      expect(body).toContain('cannot reach its database');
      expect(body).not.toMatch(/at \w+ \(|PostgresError|ECONNREFUSED|password authentication/);
    });
  }

  it('leaves mail messages to be retried', async () => {
    const message = { type: 'invitation', id: crypto.randomUUID(), deliveryId: crypto.randomUUID() };
    const { result, ids } = await consume([message], { env: { HYPERDRIVE: hyperdrive } });
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(ids);
  });
});
