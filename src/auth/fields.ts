/** @module auth/fields — the rules of the fields every account form shares (sign-in, join, reset, profile). */
import * as z from 'zod/mini';
import { PASSWORD_MAX } from './passwords';

/** A person's display name: the same limit at join and in the profile. */
export const USER_NAME_MAX = 100;

export const userNameField = z
  .string('Enter your name.')
  .check(
    z.trim(),
    z.minLength(1, 'Enter your name.'),
    z.maxLength(USER_NAME_MAX, `Use at most ${USER_NAME_MAX} characters.`),
  );

/** Emails are compared and stored lower-case: the sign-in name is case-insensitive. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** A password field before the policy runs: bounded so absurd inputs never reach scrypt. */
export const boundedPasswordField = z
  .string('Choose a password.')
  .check(z.maxLength(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`));
