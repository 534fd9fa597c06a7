/** @module mail/transports/transport — the one interface every way of sending an email implements. */

export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * `transient` failures (429, 408, 5xx, network) are retried by the queue; anything else is permanent and is recorded
 * as a failed delivery.
 */
export type SendResult =
  | { ok: true; providerId: string | null }
  | { ok: false; permanent: boolean; error: string; retryAfterSeconds?: number };

export interface MailTransport {
  readonly name: 'log' | 'http';
  /** `idempotencyKey` is the delivery id: the provider drops a second send with the same key. */
  send(email: OutgoingEmail, idempotencyKey: string): Promise<SendResult>;
}
