/**
 * @module db/dialects — the SQL that differs between SQLite (D1, libSQL) and PostgreSQL, one module per dialect.
 * Feature code builds queries with drizzle's SQLite builder and portable SQL; where the two dialects differ it asks
 * `dialectOf(db)` for the piece instead of writing either spelling itself.
 */
import type { Dialect } from './dialect';
import { sqliteDialect } from './sqlite';

export type { Dialect };

const DIALECT = Symbol.for('hticket.dialect');

/** Marks a database object with its dialect (backends call this; SQLite is the default). */
export function withDialect<T extends object>(db: T, dialect: Dialect): T {
  Object.defineProperty(db, DIALECT, { value: dialect });
  return db;
}

export function dialectOf(db: object): Dialect {
  return (db as { [DIALECT]?: Dialect })[DIALECT] ?? sqliteDialect;
}
