/**
 * @module db/plan — the one data-access contract. Every service operation is a plan: `build(db, me)` gives the
 * statements, `read(results)` turns their answers into a value. `runPlan()` sends the statements as one round trip
 * (a batch on D1 and libSQL); `authenticate()` (auth/) puts the session check in front of them in the same batch.
 * Routes never see a statement or its position, only the value `read` returns.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from './database';

export type Statement = BatchItem<'sqlite'>;
export type Statements = readonly Statement[];

export interface Plan<R> {
  /** The statements, built on `db` with `me` (the current user's id as SQL; NULL when nobody is signed in). */
  build: (db: Db, me: SQL) => Statements;
  /** The value, from the answers of exactly the statements `build` gave, in their order. */
  read: (results: readonly unknown[]) => R;
}

/** What each statement answers, in order (a query builder is awaitable, so this is its result type). */
export type Answers<T extends Statements> = { -readonly [K in keyof T]: Awaited<T[K]> };

/** A plan that still knows its statement tuple. */
export interface BuiltPlan<T extends Statements, R> extends Plan<R> {
  build: (db: Db, me: SQL) => T;
}

/** Makes a plan; `read` is typed from the statement tuple `build` returns (kept on the result for query-plan tests). */
export function plan<const T extends Statements, R>(
  build: (db: Db, me: SQL) => T,
  read: (results: Answers<T>) => R,
): BuiltPlan<T, R> {
  return { build, read: read as Plan<R>['read'] };
}

/** `me` for plans that run without a signed-in user (join, password reset, mail). */
export const NOBODY: SQL = sql`NULL`;

/** A plan that reads nothing: for a request that only needs the session check. */
export const nothing: Plan<void> = { build: () => [], read: () => undefined };

/**
 * Two plans as one: `a`'s statements, then `b`'s, in the same batch; the value is both values. Like every plan, the
 * result is built and read once (it remembers where `a`'s answers end).
 */
export function both<A, B>(a: Plan<A>, b: Plan<B>): Plan<[A, B]> {
  let split = 0;
  return {
    build(db, me) {
      const first = a.build(db, me);
      split = first.length;
      return [...first, ...b.build(db, me)];
    },
    read: (results) => [a.read(results.slice(0, split)), b.read(results.slice(split))],
  };
}

/** Runs a plan in one round trip (no round trip at all when it has no statements). */
export async function runPlan<R>(db: Db, p: Plan<R>, me: SQL = NOBODY): Promise<R> {
  const statements = p.build(db, me);
  if (statements.length === 0) return p.read([]);
  return p.read(await db.batch(statements as unknown as [Statement, ...Statement[]]));
}
