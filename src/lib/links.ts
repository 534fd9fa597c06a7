/** @module lib/links — the links emails carry, built from APP_ORIGIN (never from the request's Host). */
import type { Invitation, PasswordReset } from '../db/schema';
import { deriveLinkToken } from './crypto';

/** Resending an invitation sets a new expiry, which changes the token: the old link stops working. */
export function invitationToken(secret: string, invitation: Pick<Invitation, 'id' | 'expiresAt'>): Promise<string> {
  return deriveLinkToken(secret, 'invitation', invitation.id, invitation.expiresAt);
}

export function passwordResetToken(secret: string, reset: Pick<PasswordReset, 'id' | 'createdAt'>): Promise<string> {
  return deriveLinkToken(secret, 'password-reset', reset.id, reset.createdAt);
}

export function joinUrl(origin: string, token: string): string {
  return `${origin}/join/${token}/`;
}

export function passwordResetUrl(origin: string, token: string): string {
  return `${origin}/password-reset/${token}/`;
}

export function absoluteUrl(origin: string, path: string): string {
  return `${origin}${path.startsWith('/') ? path : `/${path}`}`;
}
