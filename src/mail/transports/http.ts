/**
 * @module mail/transports/http — sends through an HTTP email API with Resend's JSON shape:
 * `POST {from, to, subject, text, html}` with `Authorization: Bearer <key>` and an `Idempotency-Key` header.
 */
import { ConfigError } from '../../env';
import type { MailTransport, SendResult } from './transport';

export type FetchFn = (input: string, init: RequestInit) => Promise<Response>;

const MAX_ERROR_CHARS = 300;

export function createHttpTransport(
  options: { url: string; apiKey: string | undefined },
  // Resolved at call time so a test's spy on globalThis.fetch is seen.
  fetchFn: FetchFn = (input, init) => fetch(input, init),
): MailTransport {
  const { url, apiKey } = options;
  if (!apiKey)
    throw new ConfigError('hticket configuration is invalid — MAIL_API_KEY: required when MAIL_TRANSPORT is http');
  return {
    name: 'http',
    async send(email, idempotencyKey): Promise<SendResult> {
      let res: Response;
      try {
        res = await fetchFn(url, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${apiKey}`,
            'Content-Type': 'application/json',
            'Idempotency-Key': idempotencyKey,
          },
          body: JSON.stringify({
            from: email.from,
            to: [email.to],
            subject: email.subject,
            text: email.text,
            html: email.html,
          }),
        });
      } catch (err) {
        return { ok: false, permanent: false, error: `network error: ${clip(String(err))}` };
      }
      const body = await res.text().catch(() => '');
      if (res.ok) return { ok: true, providerId: providerIdOf(body) };
      const error = `provider answered ${res.status}${describe(body)}`;
      if (isTransient(res.status)) {
        return { ok: false, permanent: false, error, ...retryAfter(res.headers.get('Retry-After')) };
      }
      return { ok: false, permanent: true, error };
    },
  };
}

/** Rate limits, timeouts and server errors pass; any other 4xx (bad address, bad key, ...) will not get better. */
export function isTransient(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

function providerIdOf(body: string): string | null {
  try {
    const id = (JSON.parse(body) as { id?: unknown }).id;
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}

function describe(body: string): string {
  let message = body;
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === 'string') message = parsed.message;
  } catch {
    // not JSON: keep the raw text
  }
  message = clip(message.replace(/\s+/g, ' ').trim());
  return message ? `: ${message}` : '';
}

function retryAfter(value: string | null): { retryAfterSeconds?: number } {
  const seconds = Number(value);
  return value && Number.isFinite(seconds) && seconds > 0 ? { retryAfterSeconds: Math.ceil(seconds) } : {};
}

function clip(text: string): string {
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS - 1)}…` : text;
}
