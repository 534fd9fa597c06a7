/** @module db/backends/libsql — Turso/libSQL over HTTP: drizzle's libSQL driver, batches are one round trip. */
// The HTTP client, not the web one: the Worker reaches libSQL over HTTP only (libsql:// maps to https://), and the
// web client would also bundle the WebSocket transport.
import { createClient, type Client } from '@libsql/client/http';
import { drizzle } from 'drizzle-orm/libsql/http';
import type { Db, RoundTripCounter } from '../database';
import * as schema from '../schema';

export function createLibsqlClient(url: string, authToken?: string): Client {
  return createClient({ url, authToken });
}

/** Wraps a libSQL client (the Worker's HTTP one, or the `file:` client of the Node test project). */
export function createLibsqlDb(client: Client, counter?: RoundTripCounter): Db {
  return drizzle(counter ? countLibsql(client, counter) : client, { schema }) as unknown as Db;
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
