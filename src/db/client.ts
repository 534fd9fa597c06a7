/** @module db/client — picks the database backend from the configuration; the one place a `Db` is made. */
import { createD1Db } from './backends/d1';
import { createLibsqlClient, createLibsqlDb } from './backends/libsql';
import { createPostgresClient, createPostgresDb } from './backends/postgres';
import type { Db, RoundTripCounter } from './database';

export type { Db, Schema } from './database';
export { RoundTripCounter } from './database';
export { createLibsqlDb } from './backends/libsql';

export interface DbBindings {
  DB: D1Database;
  TURSO_DATABASE_URL?: string;
  TURSO_AUTH_TOKEN?: string;
  /** PostgreSQL through Cloudflare Hyperdrive (production; locally its connection string comes from wrangler). */
  HYPERDRIVE?: Hyperdrive;
  /** PostgreSQL reached directly (a server the Worker can reach without Hyperdrive). */
  DATABASE_URL?: string;
}

/**
 * PostgreSQL when a Hyperdrive binding or `DATABASE_URL` is configured, libSQL/Turso when `TURSO_DATABASE_URL` is,
 * else the D1 binding. The configuration was checked by `getConfig()` (env.ts) before.
 */
export function createDb(env: DbBindings, counter?: RoundTripCounter): Db {
  const postgresUrl = env.HYPERDRIVE?.connectionString || env.DATABASE_URL;
  if (postgresUrl) {
    // Not closed by the app: the Workers runtime closes a request's sockets when the request is done (closing them
    // from postgres.js's Workers build leaves a rejected promise nobody holds), and Hyperdrive keeps the pool.
    return createPostgresDb(createPostgresClient(postgresUrl), counter).db;
  }
  if (env.TURSO_DATABASE_URL) {
    return createLibsqlDb(createLibsqlClient(env.TURSO_DATABASE_URL, env.TURSO_AUTH_TOKEN), counter);
  }
  return createD1Db(env.DB, counter);
}
