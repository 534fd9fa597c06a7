/**
 * @module db/cached — statements whose SQL text is built once and reused. Building a statement's SQL
 * (drizzle walking its query tree into text) is most of a hot request's own JavaScript; a statement that runs on
 * every request with other values only needs its values filled in. `cached(name, build)` builds the statement once
 * per backend dialect with drizzle placeholders where the values go, keeps its text, columns and result mapping, and
 * afterwards only fills the values in for the request's database. The current user (`me`, the session subquery)
 * is a placeholder too when it carries its values (`withValues`); any other `me` builds the statement as usual.
 */
import { fillPlaceholders, sql, type SQL } from 'drizzle-orm';
import type { Statement } from './plan';
import { NOBODY } from './plan';
import type { Db } from './database';
import { dialectOf } from './dialects';
import { pgLiteral, PG_PLACEHOLDER } from './dialects/postgres';

/** The values an SQL fragment stands for, and the same fragment with placeholders (see `withValues`). */
interface Parameterised {
  values: Record<string, unknown>;
  template: SQL;
}

const PARAMETERISED = Symbol('hticket.parameterised');

/**
 * Marks `fragment` (built from `values`) as the same SQL as `template` (built from placeholders of the same names),
 * so cached statements that embed it keep one text for every request. Names must not clash with a statement's own.
 */
export function withValues(fragment: SQL, values: Record<string, unknown>, template: SQL): SQL {
  Object.defineProperty(fragment, PARAMETERISED, { value: { values, template } satisfies Parameterised });
  return fragment;
}

function parameterised(fragment: SQL): Parameterised | undefined {
  return (fragment as { [PARAMETERISED]?: Parameterised })[PARAMETERISED];
}

/** Placeholders named like the values: what a cached statement's `build` receives instead of them. */
export type Placeholders<V> = { [K in keyof V]: V[K] };

/** What drizzle's prepared query keeps of a statement, less the database it runs on. */
interface Template {
  query: { sql: string; params: unknown[] };
  fields: unknown;
  executeMethod: string;
  isResponseInArrayMode: boolean;
  customResultMapper: unknown;
  queryMetadata: unknown;
  joinsNotNullableMap: unknown;
}

interface PreparedQuery {
  query: { sql: string; params: unknown[] };
  fields?: unknown;
  executeMethod: string;
  _isResponseInArrayMode?: boolean;
  customResultMapper?: unknown;
  queryMetadata?: unknown;
  joinsNotNullableMap?: unknown;
}

interface Session {
  prepareQuery(
    query: { sql: string; params: unknown[] },
    fields: unknown,
    executeMethod: string,
    isResponseInArrayMode: boolean,
    customResultMapper: unknown,
    queryMetadata: unknown,
  ): PreparedQuery;
}

const templates = new Map<string, Template>();

function templateOf(statement: Statement): Template {
  const prepared = (statement as unknown as { _prepare: () => PreparedQuery })._prepare();
  return {
    query: prepared.query,
    fields: prepared.fields,
    executeMethod: prepared.executeMethod,
    isResponseInArrayMode: prepared._isResponseInArrayMode ?? true,
    customResultMapper: prepared.customResultMapper,
    queryMetadata: prepared.queryMetadata,
    joinsNotNullableMap: prepared.joinsNotNullableMap,
  };
}

/** The template's text and parameters with the values filled in (PostgreSQL gets them as literals in the text). */
function filled(template: Template, values: Record<string, unknown>, postgres: boolean) {
  const params = fillPlaceholders(template.query.params, values);
  if (!postgres) return { sql: template.query.sql, params };
  const text = template.query.sql.replace(PG_PLACEHOLDER, (_, i: string) => pgLiteral(params[Number(i)]));
  return { sql: text, params: [] };
}

/**
 * A statement builder whose SQL is made once per dialect: `build(db, me, v)` must use the values in `v` only as SQL
 * values, never to decide the statement's form (a statement with several forms needs one cached builder per form).
 * Answers and types are those of the statement `build` makes.
 */
export function cached<V extends object, const T extends Statement>(
  name: string,
  build: (db: Db, me: SQL, v: Placeholders<V>) => T,
): (db: Db, me: SQL, values: V) => T {
  let names: (keyof V & string)[] | null = null;
  return (db, me, values) => {
    const who = me === NOBODY ? null : parameterised(me);
    if (me !== NOBODY && !who) return build(db, me, values);
    const dialect = dialectOf(db).name;
    const key = `${name}\u0000${dialect}\u0000${who ? 'me' : 'nobody'}`;
    let template = templates.get(key);
    if (!template) {
      names ??= Object.keys(values) as (keyof V & string)[];
      const placeholders = Object.fromEntries(names.map((n) => [n, sql.placeholder(n)])) as unknown as Placeholders<V>;
      template = templateOf(build(db, who ? who.template : me, placeholders));
      templates.set(key, template);
    }
    const all = (who ? { ...who.values, ...values } : values) as Record<string, unknown>;
    const session = (db as unknown as { session: Session }).session;
    const t = template;
    const item = {
      toSQL: () => filled(t, all, dialect === 'postgresql'),
      _prepare() {
        const prepared = session.prepareQuery(
          filled(t, all, dialect === 'postgresql'),
          t.fields,
          t.executeMethod,
          t.isResponseInArrayMode,
          t.customResultMapper,
          t.queryMetadata,
        );
        prepared.joinsNotNullableMap = t.joinsNotNullableMap;
        return prepared;
      },
    };
    return item as unknown as T;
  };
}
