/** @module db/client — picks the database backend from the configuration; the one place a `Db` is made. */
import { createD1Db } from './backends/d1';
import { createLibsqlClient, createLibsqlDb } from './backends/libsql';
import type { Db, RoundTripCounter } from './database';

export type { Db, Schema } from './database';
export { RoundTripCounter } from './database';
export { createLibsqlDb } from './backends/libsql';

export interface DbBindings {
  DB: D1Database;
  TURSO_DATABASE_URL?: string;
  TURSO_AUTH_TOKEN?: string;
}

/** libSQL/Turso when `TURSO_DATABASE_URL` is set, else the D1 binding. */
export function createDb(env: DbBindings, counter?: RoundTripCounter): Db {
  if (env.TURSO_DATABASE_URL) {
    return createLibsqlDb(createLibsqlClient(env.TURSO_DATABASE_URL, env.TURSO_AUTH_TOKEN), counter);
  }
  return createD1Db(env.DB, counter);
}
