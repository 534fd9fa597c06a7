/** @module db/backends/d1 — Cloudflare D1 (the local default): drizzle's D1 driver, batches are one round trip. */
import { drizzle } from 'drizzle-orm/d1';
import type { Db, RoundTripCounter } from '../database';
import * as schema from '../schema';

export function createD1Db(d1: D1Database, counter?: RoundTripCounter): Db {
  return drizzle(counter ? countD1(d1, counter) : d1, { schema }) as unknown as Db;
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
