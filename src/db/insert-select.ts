/**
 * @module db/insert-select — the SELECT list of an `INSERT ... SELECT`, built from the schema. A write that must
 * carry its condition in SQL (only if the user may, only if the row is still there) stays a drizzle builder this way,
 * which D1 can batch; raw statements with parameters it cannot.
 */
import { Column, getTableColumns, getTableName, is, SQL, sql } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';

/**
 * A column written out with its table. In the select list of a one-table query drizzle leaves columns unqualified,
 * and inside a subquery an unqualified name binds to the inner table (`users.email = users.email`).
 */
export function q(column: Column): SQL {
  return sql`${sql.identifier(getTableName(column.table))}.${sql.identifier(column.name)}`;
}

/**
 * Every column of `table` in table order, taken from `values` (plain values, columns of the source table, or SQL)
 * or else the column's default, so a column added later gets its default instead of shifting the others.
 */
export function insertSelectFields<T extends SQLiteTable>(
  table: T,
  values: { [K in keyof T['$inferInsert']]?: unknown },
): Record<string, SQL> {
  const given = values as Record<string, unknown>;
  const fields: Record<string, SQL> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = key in given ? given[key] : (column.defaultFn?.() ?? column.default);
    if (is(value, SQL)) fields[key] = value;
    else if (is(value, Column)) fields[key] = q(value);
    else fields[key] = value === undefined || value === null ? sql`null` : sql`${sql.param(value, column)}`;
  }
  return fields;
}
