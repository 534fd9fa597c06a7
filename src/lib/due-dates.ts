/**
 * @module lib/due-dates — a ticket's due date: a calendar day (`YYYY-MM-DD`, no time, no zone) and the integer that
 * sorts it (`YYYYMMDD`, or `NO_DUE_RANK` for a ticket without one, so undated tickets come last in the index).
 */

/** The rank of a ticket with no due date: after every real day. */
export const NO_DUE_RANK = 99_999_999;

/** The earliest and latest days a due date may be: older is surely a typo, later is not a calendar day we store. */
export const DUE_MIN = '2000-01-01';
export const DUE_MAX = '9999-12-31';

export const DUE_INVALID = 'Enter a date like 2026-03-31, or leave it empty.';
export const DUE_IMPOSSIBLE = 'That day does not exist in the calendar.';
export const DUE_TOO_EARLY = 'Choose a date from 2000-01-01 on.';
export const DUE_TOO_LATE = 'Choose a date up to 9999-12-31.';

/** Why `value` is not a due date we accept, or null when it is one (`YYYY-MM-DD`, a real day, within the bounds). */
export function dueDateError(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return /^\+?\d{5,}-\d{2}-\d{2}$/.test(value) ? DUE_TOO_LATE : DUE_INVALID;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return DUE_IMPOSSIBLE;
  if (value < DUE_MIN) return DUE_TOO_EARLY;
  return null;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The sort rank of a due date (or of none). */
export function dueRank(day: string | null): number {
  return day === null ? NO_DUE_RANK : Number(day.replaceAll('-', ''));
}

/** The UTC calendar day of a moment: the server's "today" (it does not know the viewer's zone). */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The day `days` after `day` (negative: before). */
export function addDays(day: string, days: number): string {
  return utcDay(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000);
}

export type DueState = 'overdue' | 'today' | null;

/** How a due date stands on `today`: overdue (past, not done), due today, or nothing to flag. */
export function dueState(due: string | null, today: string, done: boolean): DueState {
  if (due === null || done) return null;
  if (due < today) return 'overdue';
  if (due === today) return 'today';
  return null;
}

/** What a due date says next to its state, for people and screen readers alike (not colour alone). */
export const DUE_STATE_LABELS = { overdue: 'Overdue', today: 'Due today' } as const;
