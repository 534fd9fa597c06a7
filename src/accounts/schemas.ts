/** @module accounts/schemas — one zod schema per account form. */
import * as z from 'zod';
import { passwordProblem } from './passwords';

/** Emails are compared and stored lower-case: the sign-in name is case-insensitive. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

const emailField = z
  .string({ error: 'Enter your email address.' })
  .trim()
  .min(1, 'Enter your email address.')
  .max(320, 'Enter a valid email address.')
  .transform(normalizeEmail);

/** A new password: the policy of accounts/passwords (8–256 characters, not common). Never trimmed. */
export const newPasswordField = z.string({ error: 'Choose a password.' }).superRefine((value, ctx) => {
  const problem = passwordProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/**
 * Sign-in checks presence only: any other rule would answer differently for some accounts. The bound keeps
 * absurd inputs away from scrypt; a longer password can never be right anyway.
 */
export const signInSchema = z.object({
  email: emailField,
  password: z
    .string({ error: 'Enter your password.' })
    .min(1, 'Enter your password.')
    .max(1024, 'Email or password is incorrect.'),
  next: z.string().max(2000).optional(),
});

export const passwordResetRequestSchema = z.object({
  email: emailField.pipe(z.email({ error: 'Enter a valid email address.' })),
});

function confirmMatches(data: { new_password: string; confirm_password: string }, ctx: z.RefinementCtx) {
  if (data.new_password !== data.confirm_password) {
    ctx.addIssue({ code: 'custom', path: ['confirm_password'], message: 'The two passwords do not match.' });
  }
}

export const passwordResetSchema = z
  .object({ new_password: newPasswordField, confirm_password: z.string().max(1024) })
  .superRefine(confirmMatches);

export const passwordChangeSchema = z
  .object({
    current_password: z.string().min(1, 'Enter your current password.').max(1024),
    new_password: newPasswordField,
    confirm_password: z.string().max(1024),
  })
  .superRefine(confirmMatches);

export const profileSchema = z.object({
  name: z.string({ error: 'Enter your name.' }).trim().min(1, 'Enter your name.').max(80, 'Use at most 80 characters.'),
  // An unchecked checkbox is not sent at all.
  notify_email: z
    .string()
    .optional()
    .transform((v) => v !== undefined),
});
