/** @module db/client — one Db type over D1 (the local default) and libSQL/Turso over HTTP. */
// The HTTP client, not the web one: the Worker reaches libSQL over HTTP only (libsql:// maps to https://), and the
// web client would also bundle the WebSocket transport.
import { createClient, type Client } from '@libsql/client/http';
import { drizzle as drizzleD1 } from 'drizzle-orm/d1';
import type { LibSQLDatabase } from 'drizzle-orm/libsql';
import { drizzle as drizzleLibsql } from 'drizzle-orm/libsql/http';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import * as schema from './schema';

export type Schema = typeof schema;

/** Both drivers are async SQLite databases with `batch()`; services only use that common surface. */
export type Db = BaseSQLiteDatabase<'async', unknown, Schema> & Pick<LibSQLDatabase<Schema>, 'batch'>;

/** Counts database round trips (a batch is one) so tests and the benchmark can check the per-request budget. */
export class RoundTripCounter {
  count = 0;
}

export interface DbBindings {
  DB: D1Database;
  TURSO_DATABASE_URL?: string;
  TURSO_AUTH_TOKEN?: string;
}

export function createDb(env: DbBindings, counter?: RoundTripCounter): Db {
  if (env.TURSO_DATABASE_URL) {
    const client = createClient({ url: env.TURSO_DATABASE_URL, authToken: env.TURSO_AUTH_TOKEN });
    return drizzleLibsql(counter ? countLibsql(client, counter) : client, { schema }) as unknown as Db;
  }
  return drizzleD1(counter ? countD1(env.DB, counter) : env.DB, { schema }) as unknown as Db;
}

/** Wraps an already-made libSQL client (the Node test project passes a `file:` client). */
export function createLibsqlDb(client: Client, counter?: RoundTripCounter): Db {
  return drizzleLibsql(counter ? countLibsql(client, counter) : client, { schema }) as unknown as Db;
}

const D1_CALLS = new Set(['all', 'run', 'first', 'raw']);

function countD1(d1: D1Database, counter: RoundTripCounter): D1Database {
  const wrapStatement = (stmt: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(stmt, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        if (prop === 'bind') return (...args: unknown[]) => wrapStatement(value.apply(target, args));
        if (D1_CALLS.has(prop as string)) {
          return (...args: unknown[]) => {
            counter.count++;
            return value.apply(target, args);
          };
        }
        return value.bind(target);
      },
    });
  return new Proxy(d1, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      if (prop === 'prepare') return (query: string) => wrapStatement(target.prepare(query));
      if (prop === 'batch' || prop === 'exec') {
        return (...args: unknown[]) => {
          counter.count++;
          return value.apply(target, args);
        };
      }
      return value.bind(target);
    },
  });
}

function countLibsql(client: Client, counter: RoundTripCounter): Client {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      if (prop === 'execute' || prop === 'batch' || prop === 'executeMultiple' || prop === 'migrate') {
        return (...args: unknown[]) => {
          counter.count++;
          return value.apply(target, args);
        };
      }
      return value.bind(target);
    },
  });
}
