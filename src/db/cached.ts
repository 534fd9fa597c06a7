/**
 * @module db/cached — statements whose SQL text is built once and reused. Building a statement's SQL
 * (drizzle walking its query tree into text) is most of a hot request's own JavaScript; a statement that runs on
 * every request with other values only needs its values filled in. `cached(name, build)` builds the statement once
 * per backend dialect with drizzle placeholders where the values go, keeps its text, columns and result mapping, and
 * afterwards only fills the values in for the request's database. The current user (`me`, the session subquery)
 * is a placeholder too when it carries its values (`withValues`); any other `me` builds the statement as usual.
 */
import { Column, fillPlaceholders, is, SQL, sql, Subquery } from 'drizzle-orm';
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

/**
 * What a cached `build` receives instead of the values: a placeholder for each value, an array of placeholders for an
 * array value (one per element), and the values named in `form` as they are (they decide the statement's form).
 */
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

const templates = new Map<string, Template[]>();

function templateOf(statement: Statement): Template {
  const prepared = (statement as unknown as { _prepare: () => PreparedQuery })._prepare();
  return {
    query: prepared.query,
    fields: prepared.fields,
    executeMethod: prepared.executeMethod,
    isResponseInArrayMode: prepared._isResponseInArrayMode ?? true,
    customResultMapper:
      prepared.customResultMapper ??
      (prepared.executeMethod === 'all' ? rowMapper(prepared.fields as SelectedField[] | undefined) : undefined),
    queryMetadata: prepared.queryMetadata,
    joinsNotNullableMap: prepared.joinsNotNullableMap,
  };
}

/** A selected field as drizzle orders them: where it goes in the row object, and the column or SQL it reads. */
interface SelectedField {
  path: string[];
  field: unknown;
}

interface Decoder {
  mapFromDriverValue(value: unknown): unknown;
}

/**
 * The rows of a flat select (every field a top-level key), decoded as drizzle decodes them, with the keys and
 * decoders worked out once instead of for every field of every row (drizzle's own mapping checks each field's
 * class again on each row: a few microseconds a row, which a board of sixty cards feels). Anything else keeps
 * drizzle's mapping.
 */
function rowMapper(fields: SelectedField[] | undefined) {
  if (!fields || !fields.every((f) => f.path.length === 1)) return undefined;
  const keys = fields.map((f) => f.path[0]!);
  const decoders = fields.map(({ field }): Decoder => {
    if (is(field, Column)) return field;
    // `decoder` is drizzle's own (internal) field on SQL: what `.mapWith()` set, or no change.
    const decoderOf = (q: SQL) => (q as unknown as { decoder: Decoder }).decoder;
    if (is(field, SQL)) return decoderOf(field);
    if (is(field, Subquery)) return decoderOf((field as unknown as { _: { sql: SQL } })._.sql);
    return decoderOf((field as SQL.Aliased).sql);
  });
  const width = keys.length;
  return (rows: ArrayLike<unknown>[], normalize?: (value: unknown) => unknown) =>
    Array.prototype.map.call(rows, (row: ArrayLike<unknown>) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < width; i++) {
        const raw = normalize ? normalize(row[i]) : row[i];
        out[keys[i]!] = raw === null ? null : decoders[i]!.mapFromDriverValue(raw);
      }
      return out;
    });
}

/** The template's text and parameters with the values filled in (PostgreSQL gets them as literals in the text). */
function filled(template: Template, values: Record<string, unknown>, postgres: boolean) {
  const params = fillPlaceholders(template.query.params, values);
  if (!postgres) return { sql: template.query.sql, params };
  const text = template.query.sql.replace(PG_PLACEHOLDER, (_, i: string) => pgLiteral(params[Number(i)]));
  return { sql: text, params: [] };
}

/** A statement the batch runs as it runs a query builder: the template, prepared on the request's own session. */
function statementOf(db: Db, t: Template, values: Record<string, unknown>, postgres: boolean): Statement {
  const session = (db as unknown as { session: Session }).session;
  const item = {
    toSQL: () => filled(t, values, postgres),
    _prepare() {
      const prepared = session.prepareQuery(
        filled(t, values, postgres),
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
  return item as unknown as Statement;
}

interface Options<V> {
  /**
   * Values that decide the statement's form (a status that picks a counter column, say): `build` receives them as
   * they are, and each combination of them is built once. Every other value is only ever a value in the SQL.
   */
  form?: readonly (keyof V & string)[];
}

/**
 * The builder behind `cached` and `cachedAll`: keys the templates by name, dialect, session form, the `form` values
 * and the length of each array value, and fills a run's values in by placeholder name (`name` or `name.i`).
 */
function cachedStatements<V extends object, T extends readonly Statement[]>(
  name: string,
  build: (db: Db, me: SQL, v: Placeholders<V>) => T,
  options: Options<V>,
): (db: Db, me: SQL, values: V) => T {
  const form = new Set<string>(options.form ?? []);
  return (db, me, values) => {
    const who = me === NOBODY ? null : parameterised(me);
    if (me !== NOBODY && !who) return build(db, me, values);
    const dialect = dialectOf(db).name;
    const given = values as Record<string, unknown>;
    let shape = '';
    const all: Record<string, unknown> = who ? { ...who.values } : {};
    for (const n in given) {
      const value = given[n];
      if (form.has(n)) shape += `\u0000${n}=${String(value)}`;
      else if (Array.isArray(value)) {
        shape += `\u0000${n}[${value.length}]`;
        value.forEach((element: unknown, i) => (all[`${n}.${i}`] = element));
      } else all[n] = value;
    }
    const key = `${name}\u0000${dialect}\u0000${who ? 'me' : 'nobody'}${shape}`;
    let made = templates.get(key);
    if (!made) {
      const placeholders: Record<string, unknown> = {};
      for (const n in given) {
        const value = given[n];
        if (form.has(n)) placeholders[n] = value;
        else if (Array.isArray(value)) placeholders[n] = value.map((_, i) => sql.placeholder(`${n}.${i}`));
        else placeholders[n] = sql.placeholder(n);
      }
      made = build(db, who ? who.template : me, placeholders as Placeholders<V>).map(templateOf);
      templates.set(key, made);
    }
    const postgres = dialect === 'postgresql';
    return made.map((t) => statementOf(db, t, all, postgres)) as unknown as T;
  };
}

/**
 * A statement builder whose SQL is made once per dialect: `build(db, me, v)` must use the values in `v` only as SQL
 * values, never to decide the statement's form, except those named in `options.form` (and an array's length).
 * Answers and types are those of the statement `build` makes.
 */
export function cached<V extends object, const T extends Statement>(
  name: string,
  build: (db: Db, me: SQL, v: Placeholders<V>) => T,
  options: Options<V> = {},
): (db: Db, me: SQL, values: V) => T {
  const many = cachedStatements(name, (db, me, v: Placeholders<V>) => [build(db, me, v)] as const, options);
  return (db, me, values) => many(db, me, values)[0];
}

/** `cached` for several statements made together (a write's batch), built and kept as one. */
export function cachedAll<V extends object, const T extends readonly Statement[]>(
  name: string,
  build: (db: Db, me: SQL, v: Placeholders<V>) => T,
  options: Options<V> = {},
): (db: Db, me: SQL, values: V) => T {
  return cachedStatements(name, build, options);
}
