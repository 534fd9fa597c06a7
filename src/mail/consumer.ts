/** @module mail/consumer — the queue consumer that sends emails (stub until the mail pipeline lands). */
import type { Env } from '../env';
import type { MailMessage } from './messages';

export async function handleMailBatch(
  batch: MessageBatch<MailMessage>,
  _env: Env,
  _ctx: ExecutionContext,
): Promise<void> {
  for (const message of batch.messages) {
    console.log(`[mail] ${JSON.stringify(message.body)}`);
    message.ack();
  }
}
