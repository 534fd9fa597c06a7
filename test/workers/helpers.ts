/** Helpers for the workerd suite: requests through the real Worker, users and sessions made directly. */
import { env, exports } from 'cloudflare:workers';
import { createSession, generateSession } from '../../src/auth/sessions';
import { createDb, type Db } from '../../src/db/client';
import { getTableColumns } from 'drizzle-orm';
import { tickets, users, type Role, type User } from '../../src/db/schema';

export const ORIGIN = 'http://hticket.test';

export function testDb(): Db {
  return createDb(env);
}

/**
 * D1 binds at most 100 values a statement: the ticket rows one seeding insert may hold, from the table's columns (so
 * a new column never pushes a helper over the limit).
 */
export const TICKETS_PER_INSERT = Math.floor(100 / Object.keys(getTableColumns(tickets)).length);

export interface RequestOptions {
  method?: string;
  /** Form fields, sent as application/x-www-form-urlencoded. */
  form?: Record<string, string | string[]>;
  body?: BodyInit;
  htmx?: boolean;
  cookie?: string;
  headers?: Record<string, string>;
}

/** Sends a request through the Worker's fetch handler as a same-origin browser (or htmx) would. */
export async function send(path: string, opts: RequestOptions = {}): Promise<Response> {
  const method = opts.method ?? (opts.form || opts.body ? 'POST' : 'GET');
  const headers = new Headers(opts.headers);
  if (method !== 'GET' && method !== 'HEAD' && !headers.has('Origin') && !headers.has('x-no-origin')) {
    headers.set('Origin', ORIGIN);
  }
  headers.delete('x-no-origin');
  if (opts.htmx) {
    headers.set('HX-Request', 'true');
    if (!headers.has('HX-Current-URL')) headers.set('HX-Current-URL', `${ORIGIN}/`);
  }
  if (opts.cookie) headers.set('Cookie', opts.cookie);
  let body = opts.body;
  if (opts.form) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(opts.form)) {
      for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
    }
    body = params;
    headers.set('Content-Type', 'application/x-www-form-urlencoded');
  }
  return exports.default.fetch(new Request(`${ORIGIN}${path}`, { method, headers, body, redirect: 'manual' }));
}

export function roundTrips(res: Response): number {
  const value = res.headers.get('x-db-round-trips');
  if (value === null) throw new Error('the response carries no round-trip count');
  return Number(value);
}

let counter = 0;

/** Inserts a user directly (the password hash is a placeholder unless given). */
export async function createUser(overrides: Partial<User> & { role?: Role } = {}, db: Db = testDb()): Promise<User> {
  counter++;
  const row: User = {
    id: crypto.randomUUID(),
    email: `user${counter}-${crypto.randomUUID().slice(0, 8)}@example.com`,
    name: `Test User ${counter}`,
    role: 'MEMBER',
    avatarKey: null,
    passwordHash: 'unusable',
    notifyEmail: true,
    createdAt: Date.now(),
    disabledAt: null,
    notifyAssigned: 'email',
    notifyMentioned: 'email',
    notifyWatched: 'email',
    notifyReminders: 'email',
    lastDigestAt: null,
    ...overrides,
  };
  await db.insert(users).values(row);
  return row;
}

/** Creates a session for the user and returns the Cookie header value that carries it. */
export async function sessionCookieFor(user: User, db: Db = testDb()): Promise<string> {
  const created = generateSession(user.id, Date.now());
  await createSession(db, created.session);
  return `hticket_session=${created.token}`;
}

export async function signedIn(overrides: Partial<User> = {}): Promise<{ user: User; cookie: string }> {
  const user = await createUser(overrides);
  return { user, cookie: await sessionCookieFor(user) };
}
