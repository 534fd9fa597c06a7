/** @module db/dialects/dialect — what each dialect module spells its own way. */
import type { SQL, SQLWrapper } from 'drizzle-orm';

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
  /** An aggregate: the group's texts joined by commas, in no promised order (NULL for an empty group). */
  commaList(value: SQLWrapper): SQL;
}
