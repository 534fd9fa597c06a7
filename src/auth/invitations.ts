/**
 * @module auth/invitations — whether an invitation link may still be used: one rule, in SQL for the writes that
 * depend on it and in code for the rows already read (the list, the join page, the invitation email).
 */
import { and, gt, isNull, type SQL } from 'drizzle-orm';
import { invitations, type Invitation } from '../db/schema';

export type InvitationStatus = 'pending' | 'used' | 'expired' | 'revoked';

export function invitationStatus(
  inv: Pick<Invitation, 'usedAt' | 'revokedAt' | 'expiresAt'>,
  now: number,
): InvitationStatus {
  if (inv.usedAt !== null) return 'used';
  if (inv.revokedAt !== null) return 'revoked';
  return inv.expiresAt <= now ? 'expired' : 'pending';
}

/** An invitation that was neither used nor revoked: it may be renewed (resent), even after it expired. */
export function isOpen(): SQL {
  return and(isNull(invitations.usedAt), isNull(invitations.revokedAt))!;
}

/** The SQL twin of `invitationStatus(row, now) === 'pending'`. */
export function isUsable(now: number): SQL {
  return and(isOpen(), gt(invitations.expiresAt, now))!;
}
