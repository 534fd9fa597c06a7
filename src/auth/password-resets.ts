/**
 * @module auth/password-resets — the password reset link as a credential: opening one for an address (the row and its
 * email, in one plan) and finding the usable one a token belongs to. The accounts pages and the mail consumer (which
 * opens the resets that queued requests ask for) both use it.
 */
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { insertSelectFields } from '../db/insert-select';
import { plan, runPlan } from '../db/plan';
import { mailDeliveries, passwordResets, users } from '../db/schema';
import { hashToken } from '../lib/crypto';
import { passwordResetToken } from '../lib/links';
import { deliveryMessage } from '../mail/producer';

export const PASSWORD_RESET_TTL_MS = 60 * 60 * 1000;

/**
 * Opens the reset a queued request asked for (see mail/messages): the `password_resets` row and its delivery, for an
 * active account only, under the ids the request chose, so a redelivered request writes nothing twice. The request
 * itself did no database work, so a known and an unknown address cost the same. The link's token is derived from
 * TOKEN_SECRET and the row; only its hash is stored. Answers whether there is an email to send.
 */
export async function openPasswordReset(
  db: Db,
  input: { email: string; resetId: string; deliveryId: string; tokenSecret: string; now: number },
): Promise<boolean> {
  const { resetId, tokenSecret, now } = input;
  const tokenHash = hashToken(await passwordResetToken(tokenSecret, { id: resetId, createdAt: now }));
  return runPlan(db, createPasswordReset({ ...input, tokenHash }));
}

function createPasswordReset(input: {
  email: string;
  resetId: string;
  deliveryId: string;
  tokenHash: string;
  now: number;
}) {
  const { email, resetId, deliveryId, tokenHash, now } = input;
  const account = and(eq(users.email, email), isNull(users.disabledAt));
  const reset = insertSelectFields(passwordResets, {
    id: resetId,
    tokenHash,
    userId: users.id,
    createdAt: now,
    expiresAt: now + PASSWORD_RESET_TTL_MS,
  });
  const delivery = insertSelectFields(mailDeliveries, {
    id: deliveryId,
    kind: 'password_reset',
    refId: resetId,
    recipient: users.email,
    status: 'QUEUED',
    createdAt: now,
    message: deliveryMessage({ type: 'password_reset', id: resetId }),
  });
  const resetWritten = sql`exists (select 1 from ${passwordResets} where ${passwordResets.id} = ${resetId})`;
  return plan(
    (db) =>
      [
        db
          .insert(passwordResets)
          .select(db.select(reset).from(users).where(account) as never)
          .onConflictDoNothing(),
        db
          .insert(mailDeliveries)
          .select(db.select(delivery).from(users).where(and(account, resetWritten)) as never)
          .onConflictDoNothing(),
        db.select({ id: mailDeliveries.id }).from(mailDeliveries).where(eq(mailDeliveries.id, deliveryId)).limit(1),
      ] as const,
    ([, , rows]) => rows.length > 0,
  );
}

/** The unused, unexpired reset that `token` belongs to, with its user's email (for the password policy). */
export function findPasswordReset(token: string, now: number) {
  return plan(
    (db) =>
      [
        db
          .select({ id: passwordResets.id, userId: passwordResets.userId, email: users.email })
          .from(passwordResets)
          .innerJoin(users, eq(users.id, passwordResets.userId))
          .where(
            and(
              eq(passwordResets.tokenHash, hashToken(token)),
              isNull(passwordResets.usedAt),
              gt(passwordResets.expiresAt, now),
              isNull(users.disabledAt),
            ),
          )
          .limit(1),
      ] as const,
    ([rows]): { id: string; userId: string; email: string } | null => rows[0] ?? null,
  );
}
