/** @module mail/outbox — the development-only list of sent emails (`/dev/mail`), and when it exists at all. */
import { desc } from 'drizzle-orm';
import { plan } from '../db/plan';
import { mailDeliveries } from '../db/schema';
import type { Config } from '../env';

export const OUTBOX_SIZE = 50;

/** The last emails, newest first. */
export function listOutbox(limit = OUTBOX_SIZE) {
  return plan(
    (db) =>
      [
        db.select().from(mailDeliveries).orderBy(desc(mailDeliveries.createdAt), desc(mailDeliveries.id)).limit(limit),
      ] as const,
    ([rows]) => rows,
  );
}

/** Hosts that only the machine itself (or a test) can reach. */
const PRIVATE_HOST = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]|[a-z0-9.-]+\.(test|localhost))$/;

/**
 * Outside production the consumer keeps each email's text (links included) for the `/dev/mail` outbox. A production
 * database never holds a reset or join link in clear text, whatever the transport. The origin must be a private host
 * too: a deployment that kept the local `ENVIRONMENT=development` by mistake still exposes no outbox.
 */
export function outboxEnabled(config: Pick<Config, 'ENVIRONMENT' | 'APP_ORIGIN'>): boolean {
  const local = config.ENVIRONMENT === 'development' || config.ENVIRONMENT === 'test';
  return local && PRIVATE_HOST.test(new URL(config.APP_ORIGIN).hostname);
}
