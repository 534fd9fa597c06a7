/** @module db/errors — failures every backend reports the same way. */

/** The database cannot be reached (down, unreachable, refusing the credentials): the app answers 503. */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

/** True when `err`, or an error it wraps (drizzle wraps driver errors), is a `DatabaseUnavailableError`. */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof DatabaseUnavailableError) return true;
  }
  return false;
}
