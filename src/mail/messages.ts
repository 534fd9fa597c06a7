/** @module mail/messages — the queue message union: small, ids only, never a token or a password. */
import * as z from 'zod';

export const mailMessageSchema = z.discriminatedUnion('type', [
  /** `id`: the invitation. The consumer rebuilds the join link from TOKEN_SECRET (lib/links). */
  z.object({ type: z.literal('invitation'), id: z.uuid(), deliveryId: z.uuid() }),
  /** `id`: the password_resets row. */
  z.object({ type: z.literal('password_reset'), id: z.uuid(), deliveryId: z.uuid() }),
  /** `id`: the user who was added; `projectId`: the project. */
  z.object({ type: z.literal('added_to_project'), id: z.uuid(), projectId: z.uuid(), deliveryId: z.uuid() }),
  /** `id`: the ticket_events row (kind `status`) or the comments row (kind `comment`); `recipientId`: who is told. */
  z.object({
    type: z.literal('ticket_activity'),
    id: z.uuid(),
    kind: z.enum(['status', 'comment']),
    recipientId: z.uuid(),
    deliveryId: z.uuid(),
  }),
]);

export type MailMessage = z.infer<typeof mailMessageSchema>;
