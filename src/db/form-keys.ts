/**
 * @module db/form-keys — create forms carry a random key; the create runs once per key and user, and a repeat (a
 * double click, a retry, a resubmitted page) reads what the first one made. The claim and the create are statements
 * of the same batch, so no second round trip is spent and no race lets two creates through.
 */
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { isUuid } from '../lib/crypto';
import type { Db } from './database';
import { formSubmissions } from './schema';

/** The hidden field's name in every create form. */
export const FORM_KEY_FIELD = 'form_key';

/** A new key for a form being rendered. */
export function newFormKey(): string {
  return crypto.randomUUID();
}

/** The submitted key, or a fresh one when it is missing or malformed: such a submit is simply not deduplicated. */
export function formKeyOf(value: unknown): string {
  return typeof value === 'string' && isUuid(value) ? value : newFormKey();
}

/**
 * Claims `key` for `result` (the id the create is about to use), only where `where` holds on `from` (so a refused
 * create leaves the key free for the corrected form) and only if the user has not used the key before.
 */
export function claimFormKey(
  db: Db,
  me: SQL,
  claim: { key: string; result: string; now: number },
  from: SQLiteTable,
  where: SQL | undefined,
) {
  // Aliased, not bare SQL: drizzle writes the columns of a bare expression in a select list without their tables,
  // which makes the session subquery's join ambiguous.
  const fields = {
    userId: sql<string>`${me}`.as('user_id'),
    key: sql<string>`${claim.key}`.as('key'),
    result: sql<string>`${claim.result}`.as('result'),
    createdAt: sql<number>`${claim.now}`.as('created_at'),
  };
  return db
    .insert(formSubmissions)
    .select(
      db
        .select(fields)
        .from(from)
        .where(where ?? sql`true`) as never,
    )
    .onConflictDoNothing();
}

/** SQL: this submit won the key (the claim inserted its row), so the create may run. */
export function claimedBy(me: SQL, key: string, result: string): SQL {
  return sql`exists (select 1 from ${formSubmissions} where ${formSubmissions.userId} = ${me} and ${formSubmissions.key} = ${key} and ${formSubmissions.result} = ${result})`;
}

/** SQL: the id the first submit with this key created (this submit's own when it was the first), else NULL. */
export function resultOfKey(me: SQL, key: string): SQL<string | null> {
  return sql<
    string | null
  >`(select ${formSubmissions.result} from ${formSubmissions} where ${formSubmissions.userId} = ${me} and ${formSubmissions.key} = ${key})`;
}

/** A read of the key's result, for plans that compare it with their rows. */
export function readFormKey(db: Db, me: SQL, key: string) {
  return db
    .select({ result: formSubmissions.result })
    .from(formSubmissions)
    .where(and(eq(formSubmissions.userId, me), eq(formSubmissions.key, key)));
}
