/** @module mail/messages — the queue message union: small, ids only, never a token or a password. */
import * as z from 'zod/mini';

// Read only in the consumer's log line when a message is dropped.
const uuid = z.uuid('must be a UUID');

export const mailMessageSchema = z.discriminatedUnion(
  'type',
  [
    /** `id`: the invitation. The consumer rebuilds the join link from TOKEN_SECRET (lib/links). */
    z.object({ type: z.literal('invitation'), id: uuid, deliveryId: uuid }),
    /** `id`: the password_resets row. */
    z.object({ type: z.literal('password_reset'), id: uuid, deliveryId: uuid }),
    /** `id`: the user who was added; `projectId`: the project. */
    z.object({ type: z.literal('added_to_project'), id: uuid, projectId: uuid, deliveryId: uuid }),
    /** `id`: the ticket_events row (kind `status`) or the comments row (kind `comment`); `recipientId`: who is told. */
    z.object({
      type: z.literal('ticket_activity'),
      id: uuid,
      kind: z.enum(['status', 'comment'], 'must be status or comment'),
      recipientId: uuid,
      deliveryId: uuid,
    }),
    /** `id`: the ticket; `day`: the UTC day of the reminder (`YYYY-MM-DD`); `recipientId`: its assignee then. */
    z.object({
      type: z.literal('due_reminder'),
      id: uuid,
      day: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day')),
      recipientId: uuid,
      deliveryId: uuid,
    }),
    /**
     * `id`: the person; their unread inbox items of the kinds they chose the digest for, made after `since` and up to
     * `until` (unix milliseconds; `since` is their previous digest, 0 for the first).
     */
    z.object({
      type: z.literal('digest'),
      id: uuid,
      since: z.number().check(z.int()),
      until: z.number().check(z.int()),
      deliveryId: uuid,
    }),
  ],
  { error: 'is not a known message type' },
);

export type MailMessage = z.infer<typeof mailMessageSchema>;

/**
 * Asking for a password reset: the request only enqueues this, for a known address and an unknown one alike, so
 * both cost the same. The consumer looks the address up and, for an active account, writes the `password_resets` row
 * `id` and the delivery `deliveryId` (ids chosen here, so a redelivered message writes nothing twice), then sends it
 * as a `password_reset` message. The only message that carries an address.
 */
export const passwordResetRequestSchema = z.object({
  type: z.literal('password_reset_request'),
  email: z.email('must be an email address'),
  id: uuid,
  deliveryId: uuid,
});

export type PasswordResetRequest = z.infer<typeof passwordResetRequestSchema>;
