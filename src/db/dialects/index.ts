/**
 * @module db/dialects — the SQL that differs between SQLite (D1, libSQL) and PostgreSQL, one module per dialect.
 * Feature code builds queries with drizzle's SQLite builder and portable SQL; where the two dialects differ it asks
 * `dialectOf(db)` for the piece instead of writing either spelling itself.
 */
import type { SQL, SQLWrapper } from 'drizzle-orm';
import { sqliteDialect } from './sqlite';

export interface Dialect {
  name: 'sqlite' | 'postgresql';
  /** True when `haystack` contains `needle`, ignoring ASCII case (the search box). */
  containsIgnoringCase(haystack: SQLWrapper, needle: string): SQL;
  /** A fresh random UUID (version 4) made by the database, for rows an `INSERT … SELECT` makes several of. */
  randomUuid(): SQL;
  /** A JSON object as text, from names and SQL values (a queue message stored with its row). */
  jsonObject(entries: Record<string, SQLWrapper | string>): SQL;
  /** A text value holding an id (ticket history keeps assignee ids as text), comparable with an id column. */
  textAsId(value: SQLWrapper): SQL;
}

const DIALECT = Symbol.for('hticket.dialect');

/** Marks a database object with its dialect (backends call this; SQLite is the default). */
export function withDialect<T extends object>(db: T, dialect: Dialect): T {
  Object.defineProperty(db, DIALECT, { value: dialect });
  return db;
}

export function dialectOf(db: object): Dialect {
  return (db as { [DIALECT]?: Dialect })[DIALECT] ?? sqliteDialect;
}
