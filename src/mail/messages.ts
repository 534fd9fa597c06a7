/** @module mail/messages — the queue message union: small, ids only, never a token or a password. */
import { z } from 'zod';

export const mailMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('invitation'), id: z.uuid(), deliveryId: z.uuid() }),
  z.object({ type: z.literal('password_reset'), id: z.uuid(), deliveryId: z.uuid() }),
  z.object({ type: z.literal('added_to_project'), id: z.uuid(), projectId: z.uuid(), deliveryId: z.uuid() }),
  z.object({
    type: z.literal('ticket_activity'),
    id: z.uuid(),
    deliveryId: z.uuid(),
    recipientId: z.uuid(),
    kind: z.enum(['status', 'comment']),
  }),
]);

export type MailMessage = z.infer<typeof mailMessageSchema>;
