/**
 * @module scheduled — the `scheduled` handler of the Worker: a small registry of jobs, each run by the Cron
 * Trigger named in `wrangler.toml` (`[triggers] crons`, also under `[env.production]`). Add a job to `JOBS`, and its
 * schedule to both `crons` lists when it is a new one.
 */
import { createDb } from '../db/client';
import { getConfig, type Env } from '../env';
import type { JobContext, ScheduledJob } from './job';
import { sweepOutboxJob } from '../mail/sweep';
import { pruneThrottlesJob } from '../auth/lockout';
import { pruneJob } from './prune';
import { rerenderMarkdownJob } from '../tickets/rerender';
import { dueRemindersJob } from '../tickets/reminders';
import { digestJob } from '../notifications/digest';

/** Every day at 03:17 UTC: a quiet hour, off the full hour that many other jobs share. */
export const DAILY = '17 3 * * *';

/** Every 10 minutes: emails whose queue message was lost wait at most this long (plus the sweep's grace). */
export const EVERY_TEN_MINUTES = '*/10 * * * *';

export const JOBS: readonly ScheduledJob[] = [
  { name: 'prune', cron: DAILY, run: (ctx) => pruneJob(ctx) },
  { name: 'lockout-counters', cron: DAILY, run: (ctx) => pruneThrottlesJob(ctx) },
  { name: 'due-reminders', cron: DAILY, run: (ctx) => dueRemindersJob(ctx) },
  // After the reminders: a reminder set to the digest is an inbox row by then, and goes into today's digest.
  { name: 'digest', cron: DAILY, run: (ctx) => digestJob(ctx) },
  { name: 'outbox-sweep', cron: EVERY_TEN_MINUTES, run: (ctx) => sweepOutboxJob(ctx) },
  // Often and small: after a renderer change, stale rows are caught up at a few hundred per run, while a run with
  // nothing stale costs one indexed read.
  { name: 'rerender-markdown', cron: EVERY_TEN_MINUTES, run: (ctx) => rerenderMarkdownJob(ctx) },
];

/** Runs the jobs of the trigger that fired, one after the other; one job's failure does not stop the others. */
export async function handleScheduled(
  controller: Pick<ScheduledController, 'cron' | 'scheduledTime'>,
  env: Env,
  _ctx: ExecutionContext,
  jobs: readonly ScheduledJob[] = JOBS,
): Promise<void> {
  const due = jobs.filter((job) => job.cron === controller.cron);
  if (due.length === 0) {
    console.warn(`[scheduled] no job runs on "${controller.cron}"`);
    return;
  }
  const ctx: JobContext = { db: createDb(env), config: getConfig(env), env, now: controller.scheduledTime };
  const failed: string[] = [];
  for (const job of due) {
    try {
      console.log(`[scheduled] ${job.name}: ${await job.run(ctx)}`);
    } catch (err) {
      console.error(`[scheduled] ${job.name} failed:`, err);
      failed.push(job.name);
    }
  }
  // A thrown error marks the run as failed in Cloudflare's cron events.
  if (failed.length > 0) throw new Error(`scheduled jobs failed: ${failed.join(', ')}`);
}
