/** @module mail/kinds/password-reset — the reset link: sent while the link is unused and unexpired. */
import { eq } from 'drizzle-orm';
import { passwordResets, users } from '../../db/schema';
import { plan } from '../../db/plan';
import { passwordResetToken, passwordResetUrl } from '../../lib/links';
import { formatDate, link, note, p } from '../blocks';
import type { MailMessage } from '../messages';
import type { MailKind } from './kind';

export interface PasswordResetContent {
  to: string;
  userName: string;
  reset: { id: string; createdAt: number; expiresAt: number };
}

export const passwordResetMail: MailKind<Extract<MailMessage, { type: 'password_reset' }>, PasswordResetContent> = {
  load: (message, now) =>
    plan(
      (db) =>
        [
          db
            .select({
              id: passwordResets.id,
              createdAt: passwordResets.createdAt,
              expiresAt: passwordResets.expiresAt,
              usedAt: passwordResets.usedAt,
              email: users.email,
              name: users.name,
              disabledAt: users.disabledAt,
            })
            .from(passwordResets)
            .innerJoin(users, eq(users.id, passwordResets.userId))
            .where(eq(passwordResets.id, message.id))
            .limit(1),
        ] as const,
      ([[row]]) => {
        if (!row) return { ok: false, skip: 'the password reset no longer exists' };
        if (row.usedAt !== null) return { ok: false, skip: 'the password reset was already used' };
        if (row.expiresAt <= now) return { ok: false, skip: 'the password reset has expired' };
        if (row.disabledAt !== null) return { ok: false, skip: 'the account is disabled' };
        return {
          ok: true,
          content: {
            to: row.email,
            userName: row.name,
            reset: { id: row.id, createdAt: row.createdAt, expiresAt: row.expiresAt },
          },
        };
      },
    ),

  async compose(content, { origin, tokenSecret }) {
    const url = passwordResetUrl(origin, await passwordResetToken(tokenSecret, content.reset));
    return {
      subject: 'Reset your hticket password',
      blocks: [
        p(`Hello ${content.userName},`),
        p(`Someone asked to reset the password of the hticket account ${content.to}.`),
        link('Choose a new password', url),
        note(`The link works once and expires on ${formatDate(content.reset.expiresAt)}.`),
        note('If you did not ask for this, ignore this email: your password stays as it is.'),
      ],
    };
  },
};
