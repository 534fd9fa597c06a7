/**
 * @module db/backends/postgres — PostgreSQL through postgres.js (a Hyperdrive binding's connection string on
 * Workers, a plain URL in Node). The `Db` is drizzle's SQLite query builder over a proxy session: every plan and
 * query of the app runs unchanged, written as PostgreSQL by ../dialects/postgres, and a batch (a plan) is one
 * all-or-nothing transaction sent in one network flight: BEGIN, the statements and COMMIT go out back to back on one
 * connection without waiting for answers. A statement that fails aborts the transaction, the ones after it are
 * refused, and COMMIT rolls back, so nothing of the plan is written.
 */
import postgres, { type Sql } from 'postgres';
import { SqliteRemoteDatabase, SQLiteRemoteSession } from 'drizzle-orm/sqlite-proxy';
import { createTableRelationsHelpers, extractTablesRelationalConfig } from 'drizzle-orm';
import type { Db, RoundTripCounter } from '../database';
import { withDialect } from '../dialects';
import { PgLiteralDialect, postgresDialect } from '../dialects/postgres';
import { DatabaseUnavailableError } from '../errors';
import * as schema from '../schema';

type Method = 'run' | 'all' | 'values' | 'get';
interface Statement {
  sql: string;
  method: Method;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- drizzle's proxy callback type
type Answer = { rows: any[] };

/** PostgreSQL error classes that mean "the database is not there for us", not "this statement is wrong". */
const UNAVAILABLE_SQLSTATE = /^(08|28|3D|53|57P)/;
/**
 * Conflicts of concurrent transactions: a deadlock, a serialization failure, and a unique key taken by a transaction
 * that committed while this one waited. SQLite runs writes one at a time, so a plan that checks before it inserts
 * never meets them there; run again, the plan sees the committed row and gives SQLite's answer.
 */
const RETRY_SQLSTATE = new Set(['40001', '40P01', '23505']);
const RETRIES = 3;

export interface PostgresDb {
  db: Db;
  /** Closes the connection once the statements already sent are answered. */
  close: () => Promise<void>;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\/./.test(url);
}

export function createPostgresClient(url: string): Sql {
  return postgres(url, {
    // One connection: the statements of a batch share its transaction, in order.
    max: 1,
    // Unnamed statements (Hyperdrive pools connections between clients), and no type lookup round trip.
    prepare: false,
    fetch_types: false,
    connect_timeout: 10,
    // A client lives for one request: a server that cannot be reached fails the request at once (503) instead of
    // being retried with a back-off that grows to seconds for every plan still queued.
    backoff: () => 0,
    onnotice: () => {},
    types: {
      // Rows come back as SQLite gives them to drizzle: int8 and numeric as numbers, booleans as 1 and 0.
      int8: { to: 20, from: [20, 1700], serialize: String, parse: Number },
      flag: { to: 16, from: [16], serialize: String, parse: (x: string) => (x === 't' ? 1 : 0) },
    },
    // A plan's statements all go out before the first answer (postgres.js stops at 100 by default).
    ...{ max_pipeline: 10_000 },
  });
}

export function createPostgresDb(client: Sql, counter?: RoundTripCounter): PostgresDb {
  const run = (statements: Statement[]) => {
    if (counter) counter.count++;
    return runPipelined(client, statements);
  };
  const dialect = new PgLiteralDialect();
  const tables = extractTablesRelationalConfig(schema, createTableRelationsHelpers);
  const relational = { fullSchema: schema, schema: tables.tables, tableNamesMap: tables.tableNamesMap };
  const session = new SQLiteRemoteSession(
    async (sql: string, _params: unknown[], method: Method) => (await run([{ sql, method }]))[0]!,
    dialect,
    relational,
    (batch: { sql: string; method: Method }[]) => run(batch),
    {},
  );
  const db = new SqliteRemoteDatabase('async', dialect, session, relational);
  return {
    db: withDialect(db, postgresDialect) as unknown as Db,
    close: () => client.end({ timeout: 5 }),
  };
}

async function runPipelined(client: Sql, statements: Statement[]): Promise<Answer[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await sendOnce(client, statements);
    } catch (err) {
      if (attempt < RETRIES && RETRY_SQLSTATE.has(sqlState(err) ?? '')) continue;
      throw classify(err);
    }
  }
}

async function sendOnce(client: Sql, statements: Statement[]): Promise<Answer[]> {
  if (statements.length === 1) return [answer(statements[0]!, await client.unsafe(statements[0]!.sql).values())];
  // Issued without awaiting in between, so postgres.js writes them all before the first answer comes back.
  const begin = client.unsafe('begin');
  const sent = statements.map((s) => client.unsafe(s.sql).values());
  const commit = client.unsafe('commit');
  const settled = await Promise.allSettled([begin, ...sent, commit]);
  // The first failure is the cause; the statements after it only say the transaction was aborted.
  const failure = settled.find((s) => s.status === 'rejected');
  if (failure) throw failure.reason;
  return statements.map((s, i) => answer(s, (settled[i + 1] as PromiseFulfilledResult<unknown[][]>).value));
}

/** What drizzle's proxy session expects: rows as arrays of values, one row for `get`. */
function answer(statement: Statement, rows: unknown[][]): Answer {
  if (statement.method === 'get') return { rows: rows[0] as unknown[] };
  if (statement.method === 'run') return { rows: [] };
  return { rows: [...rows] };
}

function sqlState(err: unknown): string | undefined {
  return err instanceof postgres.PostgresError ? err.code : undefined;
}

function classify(err: unknown): unknown {
  const state = sqlState(err);
  if (state === undefined ? err instanceof Error && !(err instanceof TypeError) : UNAVAILABLE_SQLSTATE.test(state)) {
    return new DatabaseUnavailableError(`PostgreSQL is unavailable: ${(err as Error).message}`, { cause: err });
  }
  return err;
}
