/** @module index — the Worker entry: HTTP through the Hono app, mail through the queue consumer. */
import { createApp } from './app';
import type { Env } from './env';
import { handleMailBatch } from './mail/consumer';
import type { MailMessage } from './mail/messages';

const app = createApp();

export default {
  fetch: app.fetch,
  queue: (batch, env, ctx) => handleMailBatch(batch, env, ctx),
} satisfies ExportedHandler<Env, MailMessage>;
