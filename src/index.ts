/**
 * @module index — the Worker entry: HTTP through the Hono app, mail through the queue consumer, housekeeping
 * through the Cron Triggers.
 */
import { createApp } from './app';
import type { Env } from './env';
import { handleMailBatch } from './mail/consumer';
import type { MailMessage } from './mail/messages';
import { handleScheduled } from './scheduled';

export { ProjectRoom } from './live/project-room';

const app = createApp();

export default {
  fetch: app.fetch,
  queue: (batch, env, ctx) => handleMailBatch(batch, env, ctx),
  scheduled: (controller, env, ctx) => handleScheduled(controller, env, ctx),
} satisfies ExportedHandler<Env, MailMessage>;
