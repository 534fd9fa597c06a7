/** @module accounts/schemas — one zod schema per account form. */
import * as z from 'zod/mini';
import { normalizeEmail, userNameField } from '../auth/fields';
import { passwordProblem } from '../auth/passwords';
import { DELIVERIES } from '../db/schema';

const emailField = z.pipe(
  z
    .string({ error: 'Enter your email address.' })
    .check(z.trim(), z.minLength(1, 'Enter your email address.'), z.maxLength(320, 'Enter a valid email address.')),
  z.transform(normalizeEmail),
);

/** A new password: the policy of accounts/passwords (8–256 characters, not common). Never trimmed. */
export const newPasswordField = z.string({ error: 'Choose a password.' }).check(
  z.superRefine((value, ctx) => {
    const problem = passwordProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
);

/** The confirmation is compared with the new password; a missing or absurd one reads as a mismatch. */
const confirmField = z
  .string({ error: 'The two passwords do not match.' })
  .check(z.maxLength(1024, 'The two passwords do not match.'));

/**
 * Sign-in checks presence only: any other rule would answer differently for some accounts. The bound keeps
 * absurd inputs away from scrypt; a longer password can never be right anyway.
 */
export const signInSchema = z.object({
  email: emailField,
  password: z
    .string({ error: 'Enter your password.' })
    .check(z.minLength(1, 'Enter your password.'), z.maxLength(1024, 'Email or password is incorrect.')),
  next: z.optional(
    z.string('The page to return to is not valid.').check(z.maxLength(2000, 'The page to return to is too long.')),
  ),
});

export const passwordResetRequestSchema = z.object({
  email: z.pipe(emailField, z.email({ error: 'Enter a valid email address.' })),
});

function confirmMatches(
  data: { new_password: string; confirm_password: string },
  ctx: z.core.$RefinementCtx<{ new_password: string; confirm_password: string }>,
) {
  if (data.new_password !== data.confirm_password) {
    ctx.addIssue({ code: 'custom', path: ['confirm_password'], message: 'The two passwords do not match.' });
  }
}

export const passwordResetSchema = z
  .object({ new_password: newPasswordField, confirm_password: confirmField })
  .check(z.superRefine(confirmMatches));

export const passwordChangeSchema = z
  .object({
    current_password: z
      .string({ error: 'Enter your current password.' })
      .check(
        z.minLength(1, 'Enter your current password.'),
        z.maxLength(1024, 'Your current password is not correct.'),
      ),
    new_password: newPasswordField,
    confirm_password: confirmField,
  })
  .check(z.superRefine(confirmMatches));

const deliveryField = z.enum(DELIVERIES, { error: 'Choose email at once, daily digest or inbox only.' });

export const profileSchema = z.object({
  name: userNameField,
  // Absent (an older form) keeps the saved choice; anything else must be one of the three choices.
  notify_assigned: z.optional(deliveryField),
  notify_mentioned: z.optional(deliveryField),
  notify_watched: z.optional(deliveryField),
  notify_reminders: z.optional(deliveryField),
  // An unchecked checkbox is not sent at all.
  notify_email: z.pipe(
    z.optional(z.string('Tick the box or leave it empty.')),
    z.transform((v) => v !== undefined),
  ),
});
