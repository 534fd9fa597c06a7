/**
 * @module mail/kinds — one module per kind of email. For a queue message, `mailFor` gives the plan that reads what
 * the email is about (to run in one batch with its delivery row) and, once read, the email it composes.
 */
import type { Plan } from '../../db/plan';
import { renderEmail, type RenderedEmail } from '../blocks';
import type { MailMessage } from '../messages';
import { addedToProjectMail } from './added-to-project';
import { digestMail } from './digest';
import { dueReminderMail } from './due-reminder';
import { invitationMail } from './invitation';
import type { MailKind, TemplateContext } from './kind';
import { passwordResetMail } from './password-reset';
import { ticketActivityMail } from './ticket-activity';

export type { TemplateContext } from './kind';

/** The email ready to compose, or why it should not be sent any more. */
export type PreparedMail =
  { ok: true; to: string; render: (ctx: TemplateContext) => Promise<RenderedEmail> } | { ok: false; skip: string };

function prepare<M extends MailMessage, C extends { to: string }>(
  kind: MailKind<M, C>,
  message: M,
  now: number,
): Plan<PreparedMail> {
  const load = kind.load(message, now);
  return {
    build: load.build,
    read(results) {
      const loaded = load.read(results);
      if (!loaded.ok) return loaded;
      const { content } = loaded;
      return { ok: true, to: content.to, render: async (ctx) => renderEmail(await kind.compose(content, ctx)) };
    },
  };
}

export function mailFor(message: MailMessage, now: number): Plan<PreparedMail> {
  switch (message.type) {
    case 'invitation':
      return prepare(invitationMail, message, now);
    case 'password_reset':
      return prepare(passwordResetMail, message, now);
    case 'added_to_project':
      return prepare(addedToProjectMail, message, now);
    case 'ticket_activity':
      return prepare(ticketActivityMail, message, now);
    case 'due_reminder':
      return prepare(dueReminderMail, message, now);
    case 'digest':
      return prepare(digestMail, message, now);
  }
}
