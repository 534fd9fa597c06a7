/**
 * The PostgreSQL schema (src/db/pg-schema.ts) mirrors the SQLite one (src/db/schema.ts): the same tables, columns,
 * defaults, primary keys, foreign keys, unique constraints and indexes, with a PostgreSQL type of the same kind for
 * each column. A table, column, index or constraint added on one side only fails here and names what to mirror.
 */
import { getTableColumns, getTableName, is, Table } from 'drizzle-orm';
import { getTableConfig as pgConfig, type PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import * as pg from '../../src/db/pg-schema';
import * as sqlite from '../../src/db/schema';

type Shape = Record<string, unknown>;

/** The PostgreSQL column types a SQLite column may become (ids → uuid, times → bigint, flags → boolean). */
const KINDS: Record<string, string[]> = {
  'SQLiteText:string': ['PgText:string', 'PgUUID:string'],
  'SQLiteInteger:number': ['PgInteger:number', 'PgBigInt53:number'],
  'SQLiteBoolean:boolean': ['PgBoolean:boolean'],
};

function tables(schema: Record<string, unknown>) {
  return new Map(
    Object.values(schema)
      .filter((v): v is Table => is(v, Table))
      .map((t) => [getTableName(t), t]),
  );
}

function describeTable(table: SQLiteTable | PgTable, config: typeof sqliteConfig | typeof pgConfig): Shape {
  const c = (config as (t: unknown) => ReturnType<typeof pgConfig>)(table);
  const columns: Shape = {};
  for (const column of Object.values(getTableColumns(table))) {
    columns[column.name] = {
      notNull: column.notNull,
      primary: column.primary,
      unique: column.isUnique,
      default: column.default,
      enum: column.enumValues ?? null,
    };
  }
  const names = (cols: { name: string }[]) => cols.map((col) => col.name);
  return {
    columns,
    primaryKeys: c.primaryKeys.map((pk) => names(pk.columns)),
    uniqueConstraints: c.uniqueConstraints.map((u) => names(u.columns)).sort(),
    foreignKeys: c.foreignKeys
      .map((fk) => {
        const ref = fk.reference();
        return `${names(ref.columns).join(',')} -> ${getTableName(ref.foreignTable)}(${names(ref.foreignColumns).join(',')}) on delete ${fk.onDelete ?? 'no action'}`;
      })
      .sort(),
    indexes: c.indexes
      .map((i) => {
        const cols = i.config.columns.map((col) => ('name' in col ? col.name : '?'));
        return `${i.config.name}${i.config.unique ? ' unique' : ''} (${cols.join(', ')})`;
      })
      .sort(),
  };
}

describe('PostgreSQL schema and SQLite schema', () => {
  const lite = tables(sqlite);
  const post = tables(pg);

  it('have the same tables', () => {
    expect([...post.keys()].sort()).toEqual([...lite.keys()].sort());
  });

  for (const [name, table] of lite) {
    it(`mirror ${name}: columns, defaults, keys, foreign keys and indexes`, () => {
      const other = post.get(name);
      expect(other, `table ${name} is missing from src/db/pg-schema.ts`).toBeDefined();
      expect(describeTable(other as PgTable, pgConfig)).toEqual(describeTable(table as SQLiteTable, sqliteConfig));
    });

    it(`gives every column of ${name} a PostgreSQL type of the same kind`, () => {
      const pgColumns = getTableColumns(post.get(name) as PgTable);
      for (const [key, column] of Object.entries(getTableColumns(table))) {
        const mirror = pgColumns[key];
        expect(mirror?.name, `${name}.${column.name} has no mirror with the same property name`).toBe(column.name);
        const kind = `${column.columnType}:${column.dataType}`;
        expect(KINDS[kind] ?? [], `${name}.${column.name} (${kind})`).toContain(
          `${mirror!.columnType}:${mirror!.dataType}`,
        );
      }
    });
  }
});
