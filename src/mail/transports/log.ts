/**
 * @module mail/transports/log — the local default: prints the whole email, links included, to the console where
 * `npm start` runs. The consumer keeps the text in `mail_deliveries`, which the `/dev/mail` outbox lists.
 */
import type { MailTransport, OutgoingEmail } from './transport';

const RULE = '─'.repeat(72);

export function formatForConsole(email: OutgoingEmail): string {
  return [
    RULE,
    `From:    ${email.from}`,
    `To:      ${email.to}`,
    `Subject: ${email.subject}`,
    '',
    email.text,
    RULE,
  ].join('\n');
}

export function createLogTransport(print: (line: string) => void = console.log): MailTransport {
  return {
    name: 'log',
    async send(email) {
      print(`[mail] email to ${email.to}\n${formatForConsole(email)}`);
      return { ok: true, providerId: null };
    },
  };
}
