/**
 * PostgreSQL down or refusing the password: every page that needs the database answers 503 with a readable message
 * and the usual headers, never a stack trace, and the mail consumer retries its messages instead of dropping them.
 * The app runs here in Node (postgres.js's Workers build leaves an unhandled rejection behind a failed connection,
 * which a workerd test run would count against itself); the Worker suite on PostgreSQL covers the working server.
 */
import { createServer } from 'node:net';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app';
import type { Env } from '../../src/env';
import { handleMailBatch, MAIL_QUEUE_NAME } from '../../src/mail/consumer';
import { usePostgresDb } from './helpers';

const ORIGIN = 'http://hticket.test';
const COOKIE = `hticket_session=${crypto.randomUUID()}.${'a'.repeat(24)}`;
const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;

describe('PostgreSQL out of reach', () => {
  const pg = usePostgresDb();
  const urls: Record<string, string> = {};

  beforeAll(async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const down = new URL(pg.url);
    down.port = String((probe.address() as { port: number }).port);
    await new Promise((resolve) => probe.close(resolve));
    const refusing = new URL(pg.url);
    refusing.password = 'not-the-password';
    urls.down = down.toString();
    urls.refusing = refusing.toString();
  });

  const envFor = (which: string) =>
    ({
      APP_ORIGIN: ORIGIN,
      ENVIRONMENT: 'test',
      TOKEN_SECRET: 'test-token-secret-0123456789abcdef',
      HYPERDRIVE: { connectionString: urls[which] } as Hyperdrive,
    }) as unknown as Env;

  for (const which of ['down', 'refusing']) {
    for (const [method, path, headers, body] of [
      ['GET', '/', { Cookie: COOKIE }],
      ['GET', '/p/ABC/t/1', { Cookie: COOKIE, 'HX-Request': 'true' }],
      ['GET', `/join/${crypto.randomUUID()}/`, {}],
      [
        'POST',
        '/login',
        { Origin: ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded' },
        'email=a%40example.com&password=whatever-password',
      ],
    ] as const) {
      it(`${which}: answers ${method} ${path} with 503, a readable page and the usual headers`, async () => {
        const request = new Request(`${ORIGIN}${path}`, { method, headers, body, redirect: 'manual' });
        const res = await createApp().fetch(request, envFor(which), ctx);
        expect(res.status).toBe(503);
        expect(res.headers.get('Retry-After')).toBe('5');
        expect(res.headers.get('Content-Security-Policy')).toContain("object-src 'none'");
        expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
        const text = await res.text();
        expect(text).toContain('cannot reach its database');
        expect(text).not.toMatch(/at \w+ \(|PostgresError|ECONNREFUSED|password authentication/);
      });
    }

    it(`${which}: leaves mail messages to be retried`, async () => {
      const message = {
        id: 'm1',
        timestamp: new Date(),
        attempts: 1,
        body: { type: 'invitation', id: crypto.randomUUID(), deliveryId: crypto.randomUUID() },
        ack: vi.fn(),
        retry: vi.fn(),
      };
      const batch = { queue: MAIL_QUEUE_NAME, messages: [message], ackAll: vi.fn(), retryAll: vi.fn() };
      vi.spyOn(console, 'error').mockImplementation(() => {});
      await handleMailBatch(batch as unknown as MessageBatch<unknown>, envFor(which), ctx);
      expect(message.ack).not.toHaveBeenCalled();
      expect(message.retry).toHaveBeenCalledTimes(1);
    });
  }
});
