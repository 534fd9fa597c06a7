/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import {
  dummyPasswordHash,
  hashPassword,
  passwordProblem,
  SCRYPT_PARAMS,
  verifyPassword,
} from '../../../src/auth/passwords';

/** Every source file, read at build time, so the guard below sees exactly what ships. */
const SOURCES = import.meta.glob<string>('../../../src/**/*.{ts,tsx}', {
  query: '?raw',
  import: 'default',
  eager: true,
});

const PRODUCTION_PBKDF2_LIMIT = 100_000;

/**
 * Iteration counts given to PBKDF2 in a piece of source: WebCrypto's `{ name: 'PBKDF2', iterations: n }`,
 * Node's `pbkdf2(password, salt, n, ...)` and `pbkdf2Sync(...)`. A constant (`iterations: ROUNDS`) is looked up
 * in the same file; one that cannot be resolved counts as infinite, so the guard fails rather than passes.
 */
function pbkdf2Iterations(source: string): number[] {
  if (!/pbkdf2/i.test(source)) return [];
  const constants = new Map(
    [...source.matchAll(/\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::\s*\w+\s*)?=\s*([\d_]+)\b/g)].map((m) => [
      m[1]!,
      Number(m[2]!.replace(/_/g, '')),
    ]),
  );
  const value = (token: string) =>
    /^[\d_]+$/.test(token) ? Number(token.replace(/_/g, '')) : (constants.get(token) ?? Number.POSITIVE_INFINITY);
  const found: number[] = [];
  for (const m of source.matchAll(/iterations\s*:\s*([\w$]+)/g)) found.push(value(m[1]!));
  for (const m of source.matchAll(/pbkdf2(?:Sync)?\s*\(\s*[^,]+,\s*[^,]+,\s*([\w$]+)/g)) found.push(value(m[1]!));
  return found;
}

describe('password hashing', () => {
  it('never uses PBKDF2 with more iterations than production Workers accept', () => {
    const files = Object.entries(SOURCES);
    expect(files.length).toBeGreaterThan(10);
    expect(Object.keys(SOURCES).some((path) => path.endsWith('auth/passwords.ts'))).toBe(true);
    for (const [path, source] of files) {
      for (const iterations of pbkdf2Iterations(source)) {
        expect(iterations, `${path} runs PBKDF2 with ${iterations} iterations`).toBeLessThanOrEqual(
          PRODUCTION_PBKDF2_LIMIT,
        );
      }
    }
  });

  it('has a guard that catches PBKDF2 above the limit', () => {
    expect(
      pbkdf2Iterations("deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: 600_000 }, key, 256)"),
    ).toEqual([600000]);
    expect(pbkdf2Iterations("pbkdf2Sync(password, salt, 310000, 32, 'sha256')")).toEqual([310000]);
    expect(pbkdf2Iterations("const ROUNDS = 210_000; deriveBits({ name: 'PBKDF2', iterations: ROUNDS })")).toEqual([
      210000,
    ]);
    expect(pbkdf2Iterations("deriveBits({ name: 'PBKDF2', iterations: config.rounds })")).toEqual([
      Number.POSITIVE_INFINITY,
    ]);
    expect(pbkdf2Iterations("deriveBits({ name: 'PBKDF2', iterations: 100_000 })")).toEqual([100000]);
    expect(pbkdf2Iterations('const x = { iterations: 999999 }')).toEqual([]);
  });

  it('hashes with scrypt from node:crypto and stores the parameters', async () => {
    const source = Object.entries(SOURCES).find(([path]) => path.endsWith('auth/passwords.ts'))![1];
    expect(source).toMatch(/from 'node:crypto'/);
    expect(source).toMatch(/\bscrypt\b/);
    const hash = await hashPassword('a long and unusual passphrase');
    const { N, r, p } = SCRYPT_PARAMS;
    expect(hash.startsWith(`scrypt$${N}$${r}$${p}$`)).toBe(true);
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
