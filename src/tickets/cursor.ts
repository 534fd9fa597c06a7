/** @module tickets/cursor — the opaque keyset cursor of the ticket list: the last row's sort values and id. */
import { isUuid } from '../lib/crypto';
import type { Sort } from './schemas';

export interface Cursor {
  sort: Sort;
  /**
   * The sort values of the last row shown: [created_at] (newest, oldest) / [updated_at] / [priority_rank, created_at]
   * / [due_rank, created_at].
   */
  values: number[];
  id: string;
}

const ARITY: Record<Sort, number> = { created: 1, oldest: 1, updated: 1, priority: 2, due: 2 };

export function encodeCursor(cursor: Cursor): string {
  return btoa([cursor.sort, ...cursor.values, cursor.id].join('.'))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** A cursor for another sort order, or anything malformed, counts as no cursor (the first page). */
export function decodeCursor(value: string | undefined, sort: Sort): Cursor | null {
  if (!value || !/^[A-Za-z0-9_-]{1,200}$/.test(value)) return null;
  let text: string;
  try {
    text = atob(value.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    return null;
  }
  const parts = text.split('.');
  if (parts[0] !== sort || parts.length !== ARITY[sort] + 2) return null;
  const id = parts[parts.length - 1]!;
  const values = parts.slice(1, -1).map((p) => (/^\d{1,15}$/.test(p) ? Number(p) : NaN));
  if (!isUuid(id) || values.some((v) => !Number.isSafeInteger(v))) return null;
  return { sort, values, id };
}
