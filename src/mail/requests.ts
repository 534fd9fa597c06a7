/**
 * @module mail/requests — queue messages that ask for an email instead of naming a delivery row: the consumer does
 * the lookup and the writes the request left out (see `password_reset_request` in ./messages), then handles the
 * message that results like any other.
 */
import { openPasswordReset } from '../auth/password-resets';
import type { Db } from '../db/database';
import { passwordResetRequestSchema, type MailMessage } from './messages';

/**
 * The message to deliver for `body`: `body` itself when it names a delivery, the delivery a request opened, or null
 * when the request has nothing to send (no active account with that address).
 */
export async function openRequested(
  db: Db,
  body: unknown,
  opts: { tokenSecret: string; now: number },
): Promise<unknown> {
  const request = passwordResetRequestSchema.safeParse(body);
  if (!request.success) return body;
  const { email, id, deliveryId } = request.data;
  const opened = await openPasswordReset(db, { email, resetId: id, deliveryId, ...opts });
  return opened ? ({ type: 'password_reset', id, deliveryId } satisfies MailMessage) : null;
}
