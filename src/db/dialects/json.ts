/** @module db/dialects/json — the argument list of both dialects' JSON object builders. */
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';

/** `name(key1, value1, key2, value2, …)`: the argument list both dialects' JSON object builders take. */
export function jsonPairs(entries: Record<string, SQLWrapper | string>): SQL {
  return sql.join(
    Object.entries(entries).map(([key, value]) => sql`${key}, ${value}`),
    sql`, `,
  );
}
