import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  dummyPasswordHash,
  hashPassword,
  passwordProblem,
  SCRYPT_PARAMS,
  scryptParams,
  verifyPassword,
} from '../../../src/auth/passwords';

/**
 * The floor for scrypt's cost (OWASP's minimum: N = 2^14 with r = 8 and p = 1) and the ceiling for its memory: a
 * Worker has 128 MB, and each concurrent sign-in holds 128 · N · r bytes while it hashes.
 */
const MIN_N = 2 ** 14;
const MIN_R = 8;
const MAX_MEMORY_BYTES = 32 * 1024 * 1024;

function parseHash(hash: string) {
  const [algorithm, N, r, p, salt, key] = hash.split('$');
  return { algorithm, N: Number(N), r: Number(r), p: Number(p), salt: salt!, key: key! };
}

describe('password hashing', () => {
  it("uses scrypt parameters at least as strong as the floor, within a Worker's memory", () => {
    const { N, r, p, keyLength } = SCRYPT_PARAMS;
    expect(Number.isInteger(Math.log2(N)), 'N is a power of two').toBe(true);
    expect(N).toBeGreaterThanOrEqual(MIN_N);
    expect(r).toBeGreaterThanOrEqual(MIN_R);
    expect(p).toBeGreaterThanOrEqual(1);
    expect(keyLength).toBeGreaterThanOrEqual(32);
    expect(128 * N * r).toBeLessThanOrEqual(MAX_MEMORY_BYTES);
  });

  it('stores the parameters it really hashed with, so a hash can be checked with them alone', async () => {
    const hash = await hashPassword('a long and unusual passphrase');
    const stored = parseHash(hash);
    expect(stored).toMatchObject({ algorithm: 'scrypt', N: SCRYPT_PARAMS.N, r: SCRYPT_PARAMS.r, p: SCRYPT_PARAMS.p });
    const key = Buffer.from(stored.key, 'base64');
    expect(key).toHaveLength(SCRYPT_PARAMS.keyLength);
    const recomputed = scryptSync('a long and unusual passphrase', Buffer.from(stored.salt, 'base64'), key.length, {
      N: stored.N,
      r: stored.r,
      p: stored.p,
      maxmem: 256 * stored.N * stored.r,
    });
    expect(recomputed.equals(key)).toBe(true);
  });

  it('asks for a new hash when a stored one was made with weaker parameters', async () => {
    const password = 'a long and unusual passphrase';
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const weak = scryptSync(password, salt, 32, { N: 1024, r: 8, p: 1 });
    const stored = ['scrypt', 1024, 8, 1, Buffer.from(salt).toString('base64'), weak.toString('base64')].join('$');
    expect(await verifyPassword(password, stored)).toEqual({ ok: true, needsRehash: true });
  });

  it('hashes at the configured cost and asks for a new hash whenever a stored one has another cost', async () => {
    const password = 'a long and unusual passphrase';
    const cheap = await hashPassword(password, scryptParams(11));
    expect(parseHash(cheap)).toMatchObject({ N: 2048, r: 8, p: 1 });
    expect(await verifyPassword(password, cheap, scryptParams(11))).toEqual({ ok: true, needsRehash: false });
    // Raising the cost: the old hash still verifies, and is due for a new one.
    expect(await verifyPassword(password, cheap)).toEqual({ ok: true, needsRehash: true });
    // Lowering it (for the Free plan's CPU limit) moves existing hashes down the same way.
    const standard = await hashPassword(password);
    expect(await verifyPassword(password, standard, scryptParams(11))).toEqual({ ok: true, needsRehash: true });
    expect(await verifyPassword('another passphrase', cheap, scryptParams(11))).toEqual({ ok: false });
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same password here')).not.toBe(await hashPassword('same password here'));
  });

  it('verifies the right password and refuses a wrong or malformed one', async () => {
    const hash = await hashPassword('a long and unusual passphrase');
    expect(await verifyPassword('a long and unusual passphrase', hash)).toEqual({ ok: true, needsRehash: false });
    expect(await verifyPassword('a long and unusual passphrasE', hash)).toEqual({ ok: false });
    expect(await verifyPassword('anything', 'unusable')).toEqual({ ok: false });
    expect(await verifyPassword('anything', 'scrypt$999999999$8$1$AAAA$AAAA')).toEqual({ ok: false });
    expect(await verifyPassword('anything', await dummyPasswordHash())).toEqual({ ok: false });
  });

  it('does not truncate long passwords', async () => {
    const base = 'x'.repeat(200);
    const hash = await hashPassword(`${base}a`);
    expect((await verifyPassword(`${base}b`, hash)).ok).toBe(false);
    expect((await verifyPassword(`${base}a`, hash)).ok).toBe(true);
  });
});

describe('password policy', () => {
  it.each([
    ['7 characters', 'abcdefg', 'at least 8'],
    ['257 characters', 'a'.repeat(257), 'at most 256'],
    ['a common password', 'password123', 'too common'],
    ['a common password in capitals', 'PASSWORD123', 'too common'],
  ])('refuses %s', (_, password, message) => {
    expect(passwordProblem(password)).toContain(message);
  });

  it('accepts 8 and 256 characters', () => {
    expect(passwordProblem('k7#qPz!w')).toBeUndefined();
    expect(passwordProblem('k'.repeat(255) + '7')).toBeUndefined();
  });

  it('counts characters, not bytes', () => {
    expect(passwordProblem('ü'.repeat(256))).toBeUndefined();
    expect(passwordProblem('🔑'.repeat(8))).toBeUndefined();
  });

  it('refuses the email address as the password', () => {
    expect(passwordProblem('ada@example.com', 'Ada@Example.com')).toContain('email address');
  });
});
