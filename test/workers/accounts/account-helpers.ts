/** Helpers for the account tests: users with real password hashes, request addresses, cookies from responses. */
import { eq } from 'drizzle-orm';
import { hashPassword } from '../../../src/auth/passwords';
import { users, type User } from '../../../src/db/schema';
import { createUser, send, testDb, type RequestOptions } from '../helpers';

export const PASSWORD = 'correct horse battery staple';

let hash: Promise<string> | undefined;

/** A user whose password is PASSWORD (hashed once per file: scrypt is deliberately slow). */
export async function userWithPassword(overrides: Partial<User> = {}): Promise<User> {
  hash ??= hashPassword(PASSWORD);
  return createUser({ passwordHash: await hash, ...overrides });
}

let ipCounter = 0;

/** A distinct client address per test, so the per-IP rate limits of one test do not reach another. */
export function freshIp(): string {
  ipCounter++;
  return `203.0.113.${ipCounter % 250}:${crypto.randomUUID().slice(0, 8)}`;
}

export function signInRequest(email: string, password: string, opts: RequestOptions & { next?: string } = {}) {
  const form: Record<string, string> = { email, password };
  if (opts.next !== undefined) form.next = opts.next;
  return send('/login', { ...opts, form, headers: { 'CF-Connecting-IP': freshIp(), ...opts.headers } });
}

/** The `name=value` pair of the session cookie a response sets (for the next request's Cookie header). */
export function sessionCookieFrom(res: Response): string {
  const header = res.headers.getSetCookie().find((c) => /^(__Host-)?hticket_session=[^;]+/.test(c));
  if (!header) throw new Error('the response sets no session cookie');
  return header.split(';')[0]!;
}

/** The page with its per-response nonce taken out, so two answers can be compared byte for byte. */
export function withoutNonce(html: string): string {
  return html.replace(/nonce="[^"]*"/g, 'nonce=""');
}

export async function userRow(id: string): Promise<User> {
  const [row] = await testDb().select().from(users).where(eq(users.id, id));
  return row!;
}
