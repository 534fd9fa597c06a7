/** @module mail/transports — the transport the configuration asks for: `log` (the local default) or `http`. */
import type { Config } from '../../env';
import { createHttpTransport, type FetchFn } from './http';
import { createLogTransport } from './log';
import type { MailTransport } from './transport';

export type { MailTransport, OutgoingEmail, SendResult } from './transport';

export function createTransport(
  config: Pick<Config, 'MAIL_TRANSPORT' | 'MAIL_API_URL' | 'MAIL_API_KEY'>,
  fetchFn?: FetchFn,
): MailTransport {
  if (config.MAIL_TRANSPORT === 'http') {
    return createHttpTransport({ url: config.MAIL_API_URL, apiKey: config.MAIL_API_KEY }, fetchFn);
  }
  return createLogTransport();
}
