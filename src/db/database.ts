/** @module db/database — the one `Db` type every backend produces, and the round-trip counter they all honour. */
import type { LibSQLDatabase } from 'drizzle-orm/libsql';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type * as schema from './schema';

export type Schema = typeof schema;

/**
 * What services and plans see of a database: an async SQLite query builder with `batch()`. A backend is a way to
 * make one (see ./backends); plans are run through `runPlan()` (./plan), never with a backend's own API.
 */
export type Db = BaseSQLiteDatabase<'async', unknown, Schema> & Pick<LibSQLDatabase<Schema>, 'batch'>;

/** Counts database round trips (a batch is one) so tests and the benchmark can check the per-request budget. */
export class RoundTripCounter {
  count = 0;
}
