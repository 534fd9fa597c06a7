/** @module lib/crypto — random tokens, hashes and constant-time comparison on WebCrypto, node:crypto and @oslojs. */
// node:crypto is native in workerd (nodejs_compat), so the synchronous SHA-256 costs the bundle nothing; a JavaScript
// SHA-2 (@oslojs/crypto/sha2) brings every SHA-2 variant along (about 3 KB gzip).
import { createHash, timingSafeEqual } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';

const encoder = new TextEncoder();

/** 120 bits of randomness as lower-case base32: session secrets. */
export function generateSecret(): string {
  const bytes = new Uint8Array(15);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function tokensEqual(a: string, b: string): boolean {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  return left.byteLength === right.byteLength && timingSafeEqual(left, right);
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** True for a well-formed UUID in canonical lower-case form; anything else is a 404 before any query. */
export function isUuid(value: string | undefined | null): value is string {
  return typeof value === 'string' && UUID_RE.test(value);
}

/**
 * A link token derived from a server secret and the row it belongs to, shaped as a UUID.
 * The database keeps only its hash and queue messages carry only the row id: neither a database
 * leak nor a queue message lets anyone use the link, while the mail consumer can still rebuild it.
 */
export async function deriveLinkToken(secret: string, purpose: string, id: string, version: number): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(`${purpose}:${id}:${version}`)));
  const bytes = mac.slice(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = encodeHexLowerCase(bytes);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
