/** @module mail/outbox — the development-only list of sent emails (`/dev/mail`) and its key check; whether it exists at all is `outboxEnabled` (env). */
import { desc } from 'drizzle-orm';
import { plan } from '../db/plan';
import { mailDeliveries } from '../db/schema';
import type { Config } from '../env';
import { tokensEqual } from '../lib/crypto';

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

/** The outbox needs the run's key; without one configured there is no outbox at all. */
export function outboxKeyMatches(config: Pick<Config, 'DEV_OUTBOX_KEY'>, given: string | undefined): boolean {
  return config.DEV_OUTBOX_KEY !== undefined && given !== undefined && tokensEqual(given, config.DEV_OUTBOX_KEY);
}
