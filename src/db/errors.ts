/** @module db/errors — failures every backend reports the same way. */

/** The database cannot be reached (down, unreachable, refusing the credentials): the app answers 503. */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}
