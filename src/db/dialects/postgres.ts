/**
 * @module db/dialects/postgres — PostgreSQL's spelling of the dialect-dependent SQL, and the drizzle dialect that
 * turns the SQLite builder's queries into PostgreSQL text. Values are written into the text as quoted literals
 * rather than sent as parameters: postgres.js asks the server for the types of a parameterised statement before it
 * can send it (one more round trip per statement, and the pipeline stops there), while statements without
 * parameters go out back to back. A quoted literal is of unknown type until PostgreSQL reads it in context, like an
 * untyped parameter, so `'1'` is true for a boolean column and 1 for a bigint one.
 */
import { Column, is, Param, Placeholder, SQL, sql } from 'drizzle-orm';
import { SQLiteAsyncDialect, type SQLiteInsertConfig } from 'drizzle-orm/sqlite-core';
import type { Dialect } from './dialect';
import { jsonPairs } from './json';

export const postgresDialect: Dialect = {
  name: 'postgresql',
  // lower() on both sides, as on SQLite; the database is created with the C locale so it folds ASCII only there too.
  containsIgnoringCase: (haystack, needle) => sql`strpos(lower(${haystack}), lower(${needle})) > 0`,
  randomUuid: () => sql`gen_random_uuid()`,
  // ids are uuid columns; uuid = text has no operator in PostgreSQL.
  textAsId: (value) => sql`cast(${value} as uuid)`,
  commaList: (value) => sql`string_agg(${value}, ',')`,
  jsonObject: (entries) => sql`json_build_object(${jsonPairs(entries)})::text`,
};

/** A value as a PostgreSQL literal of unknown type. */
export function pgLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? "'1'" : "'0'";
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot write ${value} to PostgreSQL`);
    return `'${value}'`;
  }
  if (typeof value === 'bigint') return `'${value}'`;
  if (typeof value === 'string') return quote(value);
  if (value instanceof Uint8Array) {
    return `'\\x${Array.from(value, (b) => b.toString(16).padStart(2, '0')).join('')}'::bytea`;
  }
  if (typeof value === 'object') return quote(JSON.stringify(value));
  throw new TypeError(`cannot write a ${typeof value} to PostgreSQL`);
}

function quote(text: string): string {
  // PostgreSQL text cannot hold NUL; SQLite can. Refused here rather than sent as a server error.
  if (text.includes('\0')) throw new TypeError('PostgreSQL text cannot contain the NUL character');
  const doubled = text.replaceAll("'", "''");
  // E'' with doubled backslashes reads the same whatever standard_conforming_strings says.
  return text.includes('\\') ? `E'${doubled.replaceAll('\\', '\\\\')}'` : `'${doubled}'`;
}

/** Where a placeholder's value goes in PostgreSQL text: its parameter's position between NULs (which text cannot hold). */
export const PG_PLACEHOLDER = /\u0000(\d+)\u0000/g;

/**
 * drizzle's SQLite dialect, writing every value as a PostgreSQL literal where SQLite would put a `?`, and the
 * columns of an `on conflict (…)` target without their table's name (SQLite takes `"t"."key"` there, PostgreSQL
 * only `"key"`).
 */
export class PgLiteralDialect extends SQLiteAsyncDialect {
  override escapeParam(num: number, value?: unknown): string {
    // A placeholder (db/cached) is marked with its parameter's position; the value is written in when it is known.
    if (is(value, Placeholder) || is(value, Param)) return `\u0000${num}\u0000`;
    return pgLiteral(value);
  }

  override buildInsertQuery(config: SQLiteInsertConfig): SQL {
    return super.buildInsertQuery({ ...config, onConflict: config.onConflict?.map((c) => this.bareTarget(c)) });
  }

  /** The conflict target is the one list of columns in the clause (drizzle's `sql\`${[columns]}\``). */
  private bareTarget(clause: SQL): SQL {
    const chunks = clause.queryChunks.map((chunk) => {
      const list = is(chunk, SQL) ? chunk.queryChunks.find(Array.isArray) : undefined;
      if (!list?.length || !list.every((c) => is(c, Column))) return chunk;
      const names = (list as Column[]).map((c) => this.escapeName(c.name));
      return sql.raw(`(${names.join(', ')})`);
    });
    return new SQL(chunks);
  }
}
