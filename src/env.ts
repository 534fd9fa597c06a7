/** @module env — Worker bindings, per-request variables and the parsed configuration. */
import * as z from 'zod/mini';
import { DEFAULT_PASSWORD_HASH_COST, PASSWORD_HASH_COST_MAX, PASSWORD_HASH_COST_MIN } from './auth/passwords';
import type { Db, RoundTripCounter } from './db/client';
import type { MailMessage } from './mail/messages';
import type { User } from './db/schema';
import type { ProjectRoom } from './live/project-room';

export interface Env {
  DB: D1Database;
  MAIL_QUEUE: Queue<MailMessage>;
  AVATARS: R2Bucket;
  ASSETS?: Fetcher;
  AUTH_LIMITER?: RateLimit;
  INVITE_LIMITER?: RateLimit;
  APP_ORIGIN?: string;
  ENVIRONMENT?: string;
  MAIL_TRANSPORT?: string;
  MAIL_FROM?: string;
  MAIL_API_URL?: string;
  MAIL_API_KEY?: string;
  INVITE_TTL_DAYS?: string;
  BOOTSTRAP_MANAGER_EMAIL?: string;
  TOKEN_SECRET?: string;
  TURSO_DATABASE_URL?: string;
  TURSO_AUTH_TOKEN?: string;
  HYPERDRIVE?: Hyperdrive;
  /** One Durable Object per project for live updates (src/live); without it pages simply do not update live. */
  LIVE?: DurableObjectNamespace<ProjectRoom>;
  DATABASE_URL?: string;
  COUNT_DB_ROUND_TRIPS?: string;
  DEV_OUTBOX_KEY?: string;
  PASSWORD_HASH_COST?: string;
}

const configSchema = z.object({
  APP_ORIGIN: z.pipe(
    z.url({ protocol: /^https?$/, error: 'must be an http(s) origin such as http://127.0.0.1:8787' }),
    z.transform((v) => new URL(v).origin),
  ),
  ENVIRONMENT: z._default(
    z.enum(['development', 'test', 'production'], { error: 'must be development, test or production' }),
    'production',
  ),
  // No default here: the default depends on ENVIRONMENT (see getConfig).
  MAIL_TRANSPORT: z.optional(z.enum(['log', 'http'], { error: 'must be log or http' })),
  MAIL_FROM: z._default(
    z
      .string('must be a sender such as hticket <hticket@example.com>')
      .check(z.minLength(3, 'must be a sender such as hticket <hticket@example.com>')),
    'hticket <hticket@localhost>',
  ),
  MAIL_API_URL: z._default(z.url('must be a URL'), 'https://api.resend.com/emails'),
  MAIL_API_KEY: z.optional(z.string('must be a string').check(z.minLength(1, 'must not be empty'))),
  INVITE_TTL_DAYS: z._default(
    z.coerce
      .number({ error: 'must be a whole number of days' })
      .check(
        z.int('must be a whole number of days'),
        z.gte(1, 'must be at least 1 day'),
        z.lte(90, 'must be at most 90 days'),
      ),
    7,
  ),
  BOOTSTRAP_MANAGER_EMAIL: z.optional(z.email({ error: 'must be an email address' })),
  TOKEN_SECRET: z
    .string({ error: 'is required: a random string of at least 32 characters (see .dev.vars.example)' })
    .check(z.minLength(32, 'must be at least 32 characters')),
  TURSO_DATABASE_URL: z.optional(
    z
      .string('must be a libsql:// or https:// URL')
      .check(z.regex(/^(libsql|https?):/, 'must be a libsql:// or https:// URL')),
  ),
  TURSO_AUTH_TOKEN: z.optional(z.string('must be a string')),
  /** The per-run secret the development outbox asks for (`/dev/mail?key=…`); made and printed by `npm start`. */
  DEV_OUTBOX_KEY: z.optional(z.string('must be a string').check(z.minLength(16, 'must be at least 16 characters'))),
  PASSWORD_HASH_COST: z._default(
    z.coerce
      .number({ error: `must be a whole number from ${PASSWORD_HASH_COST_MIN} to ${PASSWORD_HASH_COST_MAX}` })
      .check(
        z.int(`must be a whole number from ${PASSWORD_HASH_COST_MIN} to ${PASSWORD_HASH_COST_MAX}`),
        z.gte(PASSWORD_HASH_COST_MIN, `must be at least ${PASSWORD_HASH_COST_MIN}`),
        z.lte(
          PASSWORD_HASH_COST_MAX,
          `must be at most ${PASSWORD_HASH_COST_MAX} (more needs more memory than a Worker has)`,
        ),
      ),
    DEFAULT_PASSWORD_HASH_COST,
  ),
  DATABASE_URL: z.optional(
    z
      .string('must be a postgres:// URL')
      .check(
        z.regex(/^postgres(ql)?:\/\/./, 'must be a postgres:// URL such as postgres://user:password@host:5432/db'),
      ),
  ),
  COUNT_DB_ROUND_TRIPS: z.pipe(
    z._default(z.enum(['0', '1'], { error: 'must be 0 or 1' }), '0'),
    z.transform((v) => v === '1'),
  ),
});

export type MailTransport = 'log' | 'http';

export type Config = Omit<z.infer<typeof configSchema>, 'MAIL_TRANSPORT'> & { MAIL_TRANSPORT: MailTransport };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const cache = new WeakMap<object, Config>();
/** The same configuration reached through another `env` object: keyed by its variables' values, a few at most. */
const byValues = new Map<string, Config>();
const CONFIG_KEYS = Object.keys(configSchema.shape);

/**
 * Parses the configuration once per `env` object, and once per set of values: an isolate that is handed a new `env`
 * object for a request with the same variables gets the parsed configuration without parsing again. A bad variable
 * stops with a message that names it.
 */
export function getConfig(env: Env): Config {
  const cached = cache.get(env);
  if (cached) return cached;
  const raw = Object.fromEntries(
    CONFIG_KEYS.map((key) => {
      const value = (env as unknown as Record<string, unknown>)[key];
      return [key, value === '' ? undefined : value];
    }),
  );
  const valuesKey = `${JSON.stringify(raw)} ${env.HYPERDRIVE?.connectionString ?? ''}`;
  const known = byValues.get(valuesKey);
  if (known) {
    cache.set(env, known);
    return known;
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`);
    throw new ConfigError(`hticket configuration is invalid — ${problems.join('; ')}`);
  }
  checkHyperdrive(env.HYPERDRIVE);
  const config: Config = { ...parsed.data, MAIL_TRANSPORT: mailTransport(parsed.data) };
  if (config.MAIL_TRANSPORT === 'http' && !config.MAIL_API_KEY) {
    throw new ConfigError('hticket configuration is invalid — MAIL_API_KEY: required when MAIL_TRANSPORT is http');
  }
  cache.set(env, config);
  if (byValues.size >= 8) byValues.clear();
  byValues.set(valuesKey, config);
  return config;
}

/** A Hyperdrive binding is PostgreSQL's way in: one without a postgres connection string is a broken setup. */
function checkHyperdrive(binding: Hyperdrive | undefined): void {
  if (!binding) return;
  if (!/^postgres(ql)?:\/\/./.test(binding.connectionString ?? '')) {
    throw new ConfigError(
      'hticket configuration is invalid — HYPERDRIVE: the Hyperdrive binding has no postgres connection string ' +
        '(locally, set DATABASE_URL for npm start, CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE, or ' +
        "the binding's localConnectionString in wrangler.toml)",
    );
  }
}

/**
 * The `log` transport prints whole emails, join and reset links included, to the console: those links are
 * credentials, so production never falls back to it silently. Development and test runs default to it.
 */
function mailTransport(raw: { ENVIRONMENT: Config['ENVIRONMENT']; MAIL_TRANSPORT?: MailTransport }): MailTransport {
  if (raw.MAIL_TRANSPORT) return raw.MAIL_TRANSPORT;
  if (raw.ENVIRONMENT !== 'production') return 'log';
  throw new ConfigError(
    'hticket configuration is invalid — MAIL_TRANSPORT: required in production (http, or log to print emails and their links to the logs)',
  );
}

/** Hosts that only the machine itself (or a test) can reach. */
const PRIVATE_HOST = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]|[a-z0-9.-]+\.(test|localhost))$/;

/**
 * Outside production the consumer keeps each email's text (links included) for the `/dev/mail` outbox. A production
 * database never holds a reset or join link in clear text, whatever the transport. The origin must be a private host
 * too: a deployment that kept the local `ENVIRONMENT=development` by mistake still exposes no outbox.
 */
export function outboxEnabled(config: Pick<Config, 'ENVIRONMENT' | 'APP_ORIGIN'>): boolean {
  const local = config.ENVIRONMENT === 'development' || config.ENVIRONMENT === 'test';
  return local && PRIVATE_HOST.test(new URL(config.APP_ORIGIN).hostname);
}

export type AppEnv = {
  Bindings: Env;
  Variables: {
    config: Config;
    db: Db;
    roundTrips: RoundTripCounter;
    nonce: string;
    /** The raw `<id>.<secret>` session token from the cookie, parsed but not yet checked. */
    sessionToken: { id: string; secret: string } | null;
    /** Set once the session has been validated against the database. */
    user: User | undefined;
    sessionId: string | undefined;
    /** The signed-in user's unread inbox items (up to notifications/unread's UNREAD_CAP), read with the session. */
    inboxUnread: number | undefined;
  };
};
