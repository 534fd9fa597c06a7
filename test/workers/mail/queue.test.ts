import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { afterEach, expect, it, vi } from 'vitest';
import wranglerToml from '../../../wrangler.toml?raw';
import { invitations, mailDeliveries } from '../../../src/db/schema';
import { MAIL_DEAD_LETTER_QUEUE_NAME, MAIL_QUEUE_NAME } from '../../../src/mail/consumer';
import { enqueueMail } from '../../../src/mail/producer';
import { testDb } from '../helpers';
import { createInvitation } from './mail-helpers';

afterEach(() => {
  vi.restoreAllMocks();
});

it('delivers a message sent to the real queue to the consumer, which sends it', async () => {
  const printed: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: unknown) => void printed.push(String(line)));
  const { invitation, message } = await createInvitation();
  await enqueueMail(env, [message]);

  await vi.waitFor(
    async () => {
      const [row] = await testDb().select().from(mailDeliveries).where(eq(mailDeliveries.id, message.deliveryId));
      expect(row!.status).toBe('SENT');
    },
    { timeout: 10_000, interval: 100 },
  );
  const [inv] = await testDb().select().from(invitations).where(eq(invitations.id, invitation.id));
  expect(inv!.deliveryState).toBe('SENT');
  expect(printed.join('\n')).toContain(`To:      ${invitation.email}`);
});

it('uses the queue names wrangler.toml declares', () => {
  expect(wranglerToml).toContain(`queue = "${MAIL_QUEUE_NAME}"`);
  expect(wranglerToml).toContain(`dead_letter_queue = "${MAIL_DEAD_LETTER_QUEUE_NAME}"`);
  expect(wranglerToml).toMatch(
    new RegExp(`\\[\\[queues\\.consumers\\]\\]\\s*queue = "${MAIL_DEAD_LETTER_QUEUE_NAME}"`),
  );
});
