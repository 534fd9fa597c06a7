/** @module env — Worker bindings, per-request variables and the parsed configuration. */
import * as z from 'zod';
import type { Db, RoundTripCounter } from './db/client';
import type { MailMessage } from './mail/messages';
import type { User } from './db/schema';

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
  COUNT_DB_ROUND_TRIPS?: string;
}

const configSchema = z.object({
  APP_ORIGIN: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) origin such as http://127.0.0.1:8787' })
    .transform((v) => new URL(v).origin),
  ENVIRONMENT: z
    .enum(['development', 'test', 'production'], { error: 'must be development, test or production' })
    .default('production'),
  MAIL_TRANSPORT: z.enum(['log', 'http'], { error: 'must be log or http' }).default('log'),
  MAIL_FROM: z.string().min(3).default('hticket <hticket@localhost>'),
  MAIL_API_URL: z.url().default('https://api.resend.com/emails'),
  MAIL_API_KEY: z.string().min(1).optional(),
  INVITE_TTL_DAYS: z.coerce.number({ error: 'must be a whole number of days' }).int().min(1).max(90).default(7),
  BOOTSTRAP_MANAGER_EMAIL: z.email({ error: 'must be an email address' }).optional(),
  TOKEN_SECRET: z
    .string({ error: 'is required: a random string of at least 32 characters (see .dev.vars.example)' })
    .min(32, 'must be at least 32 characters'),
  TURSO_DATABASE_URL: z
    .string()
    .regex(/^(libsql|https?|wss?|file):/, 'must be a libsql://, https:// or file: URL')
    .optional(),
  TURSO_AUTH_TOKEN: z.string().optional(),
  COUNT_DB_ROUND_TRIPS: z
    .enum(['0', '1'])
    .default('0')
    .transform((v) => v === '1'),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const cache = new WeakMap<object, Config>();

/** Parses the configuration once per `env` object; a bad variable stops with a message that names it. */
export function getConfig(env: Env): Config {
  const cached = cache.get(env);
  if (cached) return cached;
  const raw = Object.fromEntries(
    Object.keys(configSchema.shape).map((key) => {
      const value = (env as unknown as Record<string, unknown>)[key];
      return [key, value === '' ? undefined : value];
    }),
  );
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`);
    throw new ConfigError(`hticket configuration is invalid — ${problems.join('; ')}`);
  }
  if (parsed.data.MAIL_TRANSPORT === 'http' && !parsed.data.MAIL_API_KEY) {
    throw new ConfigError('hticket configuration is invalid — MAIL_API_KEY: required when MAIL_TRANSPORT is http');
  }
  cache.set(env, parsed.data);
  return parsed.data;
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
  };
};
