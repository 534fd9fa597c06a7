/** @module invitations/schemas — the invite form and the join form. */
import * as z from 'zod/mini';
import { passwordProblem } from '../auth/passwords';
import { boundedPasswordField, normalizeEmail, userNameField } from '../auth/fields';
import { ROLES } from '../db/schema';
import { isUuid } from '../lib/crypto';

export const MAX_INVITES_PER_SUBMISSION = 50;

const emailCheck = z.email();

export type ParsedEmails = { ok: true; emails: string[] } | { ok: false; message: string };

/**
 * One address per line (commas and semicolons also separate), trimmed and lower-cased; blank lines are skipped and
 * repeats collapse. Any bad entry refuses the whole submission so nothing is half-done and the manager fixes the list.
 */
export function parseEmailList(text: string): ParsedEmails {
  const entries = text
    .split(/[\r\n,;]+/)
    .map(normalizeEmail)
    .filter(Boolean);
  if (entries.length === 0) return { ok: false, message: 'Enter at least one email address.' };
  const bad = [...new Set(entries.filter((e) => !emailCheck.safeParse(e).success))];
  if (bad.length > 0) {
    const shown = bad.slice(0, 10).map((e) => (e.length > 60 ? `${e.slice(0, 57)}…` : e));
    const more = bad.length > shown.length ? ` and ${bad.length - shown.length} more` : '';
    return { ok: false, message: `Not valid email addresses: ${shown.join(', ')}${more}. Nothing was sent.` };
  }
  const emails = [...new Set(entries)];
  if (emails.length > MAX_INVITES_PER_SUBMISSION) {
    return { ok: false, message: `At most ${MAX_INVITES_PER_SUBMISSION} addresses at a time.` };
  }
  return { ok: true, emails };
}

export const inviteSchema = z.pipe(
  z.object({
    emails: z.string('Enter at least one email address.').check(z.maxLength(20_000, 'The list is too long.')),
    role: z._default(z.enum(ROLES, { error: 'Choose a role.' }), 'MEMBER'),
    project: z._default(
      z
        .string('Choose a project from the list.')
        .check(z.refine((v) => v === '' || isUuid(v), 'Choose a project from the list.')),
      '',
    ),
  }),
  z.transform((form, payload) => {
    const parsed = parseEmailList(form.emails);
    if (!parsed.ok) {
      payload.issues.push({ code: 'custom', path: ['emails'], message: parsed.message, input: form.emails });
      return z.NEVER;
    }
    return { emails: parsed.emails, role: form.role, projectId: form.project || null };
  }),
);

export type InviteForm = z.output<typeof inviteSchema>;

/** The join form. There is no email field: the address comes from the invitation, whatever is posted. */
export function joinSchema(email: string) {
  return z
    .object({
      name: userNameField,
      password: boundedPasswordField,
      confirm: z.string('The two passwords do not match.').check(z.maxLength(1024, 'The two passwords do not match.')),
    })
    .check(
      z.superRefine((form, ctx) => {
        const problem = passwordProblem(form.password, email);
        if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
        else if (form.password !== form.confirm) {
          ctx.addIssue({ code: 'custom', path: ['confirm'], message: 'The two passwords do not match.' });
        }
      }),
    );
}
