/** @module db/dialects/sqlite — SQLite's spelling of the dialect-dependent SQL (D1 and libSQL). */
import { sql } from 'drizzle-orm';
import type { Dialect } from './dialect';
import { jsonPairs } from './json';

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  // instr() rather than LIKE: D1 refuses LIKE patterns over 50 bytes, and the search box takes 200 characters.
  // lower() folds ASCII only, on both sides.
  containsIgnoringCase: (haystack, needle) => sql`instr(lower(${haystack}), lower(${needle})) > 0`,
  textAsId: (value) => sql`${value}`,
  commaList: (value) => sql`group_concat(${value}, ',')`,
  jsonObject: (entries) => sql`json_object(${jsonPairs(entries)})`,
  randomUuid: () =>
    sql`lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))`,
};
