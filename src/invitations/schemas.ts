/** @module invitations/schemas — the invite form and the join form. */
import * as z from 'zod';
import { passwordProblem } from '../accounts/passwords';
import { ROLES } from '../db/schema';
import { isUuid } from '../lib/crypto';

export const MAX_INVITES_PER_SUBMISSION = 50;
export const NAME_MAX = 100;

const emailCheck = z.email();

export type ParsedEmails = { ok: true; emails: string[] } | { ok: false; message: string };

/**
 * One address per line (commas and semicolons also separate), trimmed and lower-cased; blank lines are skipped and
 * repeats collapse. Any bad entry refuses the whole submission so nothing is half-done and the manager fixes the list.
 */
export function parseEmailList(text: string): ParsedEmails {
  const entries = text
    .split(/[\r\n,;]+/)
    .map((line) => line.trim().toLowerCase())
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

export const inviteSchema = z
  .object({
    emails: z.string().max(20_000, 'The list is too long.'),
    role: z.enum(ROLES, { error: 'Choose a role.' }).default('MEMBER'),
    project: z
      .string()
      .default('')
      .refine((v) => v === '' || isUuid(v), 'Choose a project from the list.'),
  })
  .transform((form, ctx) => {
    const parsed = parseEmailList(form.emails);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', path: ['emails'], message: parsed.message });
      return z.NEVER;
    }
    return { emails: parsed.emails, role: form.role, projectId: form.project || null };
  });

export type InviteForm = z.output<typeof inviteSchema>;

/** The join form. There is no email field: the address comes from the invitation, whatever is posted. */
export function joinSchema(email: string) {
  return z
    .object({
      name: z.string().trim().min(1, 'Enter your name.').max(NAME_MAX, `Use at most ${NAME_MAX} characters.`),
      password: z.string().max(1024, 'Use at most 256 characters.'),
      confirm: z.string().max(1024),
    })
    .superRefine((form, ctx) => {
      const problem = passwordProblem(form.password, email);
      if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
      else if (form.password !== form.confirm) {
        ctx.addIssue({ code: 'custom', path: ['confirm'], message: 'The two passwords do not match.' });
      }
    });
}
