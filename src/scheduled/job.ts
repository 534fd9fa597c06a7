/** @module scheduled/job — what a scheduled job is: a name, the cron trigger that runs it, and bounded work. */
import type { Db } from '../db/database';
import type { Config } from '../env';

export interface JobContext {
  db: Db;
  config: Config;
  /** The time the trigger fired for (`controller.scheduledTime`). */
  now: number;
}

export interface ScheduledJob {
  name: string;
  /** The cron expression of the trigger that runs it, exactly as in wrangler.toml. */
  cron: string;
  /** Does a bounded amount of work and returns a line for the log. Work left over waits for the next run. */
  run(ctx: JobContext): Promise<string>;
}
