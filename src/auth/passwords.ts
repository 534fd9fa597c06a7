/** @module auth/passwords — scrypt hashes with their parameters inside, and the password policy. */
import { scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { COMMON_PASSWORDS } from './common-passwords';

/** N = 2^14, r = 8, p = 1: about 16 MiB and tens of milliseconds in workerd. Stored in every hash. */
export const SCRYPT_PARAMS = { N: 16384, r: 8, p: 1, keyLength: 32 } as const;

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

function scrypt(password: string, salt: Uint8Array, N: number, r: number, p: number, keyLength: number) {
  return new Promise<Buffer>((resolve, reject) => {
    scryptCallback(password.normalize('NFKC'), salt, keyLength, { N, r, p, maxmem: 128 * N * r * 2 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** `scrypt$N$r$p$<salt b64>$<key b64>` */
export async function hashPassword(password: string): Promise<string> {
  const { N, r, p, keyLength } = SCRYPT_PARAMS;
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const key = await scrypt(password, salt, N, r, p, keyLength);
  return ['scrypt', N, r, p, Buffer.from(salt).toString('base64'), key.toString('base64')].join('$');
}

export type VerifyResult = { ok: true; needsRehash: boolean } | { ok: false };

export async function verifyPassword(password: string, stored: string): Promise<VerifyResult> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return { ok: false };
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > 2 ** 20) return { ok: false };
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  const actual = await scrypt(password, salt, N, r, p, expected.length);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return { ok: false };
  const { N: n0, r: r0, p: p0, keyLength } = SCRYPT_PARAMS;
  return { ok: true, needsRehash: N !== n0 || r !== r0 || p !== p0 || expected.length !== keyLength };
}

/** A hash of a random password: unknown emails are checked against it so both answers take about as long. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(crypto.randomUUID());
  return dummyHash;
}

/** The policy: 8–256 characters (never truncated), not a common password, not the email address. */
export function passwordProblem(password: string, email?: string): string | undefined {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters.`;
  if (length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return 'This password is too common; choose one that is harder to guess.';
  if (email && lower === email.toLowerCase()) return 'Do not use your email address as your password.';
  return undefined;
}
