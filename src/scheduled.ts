/** @module scheduled — what the Cron Trigger runs: the outbox sweep and the lockout buckets' housekeeping. */
import { deleteStaleThrottles } from './auth/lockout';
import { createDb } from './db/client';
import type { Env } from './env';
import { sweepOutbox } from './mail/sweep';

export async function runScheduled(controller: Pick<ScheduledController, 'scheduledTime'>, env: Env): Promise<void> {
  const db = createDb(env);
  const now = controller.scheduledTime;
  await sweepOutbox(db, env, now);
  await deleteStaleThrottles(db, now);
}
