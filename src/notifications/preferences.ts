/**
 * @module notifications/preferences — how each person hears about each kind of notification: an email at once, a
 * line in the daily digest email, or the inbox only. Four kinds, one `users` column each: being assigned or unassigned,
 * being mentioned, changes and comments on tickets they watch, and due-date reminders. Inbox rows are written
 * whatever the choice; the choice only decides the email. The profile's "Email me about tickets" switch stays the
 * master switch: off means inbox only for every kind, whatever the choices say.
 */
import { and, eq, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { DELIVERIES, users, type Delivery } from '../db/schema';

export const PREFERENCE_KINDS = [
  { field: 'notify_assigned', column: 'notifyAssigned', label: 'Assigned or unassigned' },
  { field: 'notify_mentioned', column: 'notifyMentioned', label: 'Mentioned' },
  { field: 'notify_watched', column: 'notifyWatched', label: 'Changes and comments on tickets I watch' },
  { field: 'notify_reminders', column: 'notifyReminders', label: 'Due-date reminders' },
] as const;
export type PreferenceColumn = (typeof PREFERENCE_KINDS)[number]['column'];
export type Preferences = Record<PreferenceColumn, Delivery>;

export const DELIVERY_LABELS: Record<Delivery, string> = {
  email: 'Email at once',
  digest: 'Daily digest email',
  inbox: 'Inbox only',
};
export { DELIVERIES };

/** SQL: the delivery the person of the `users` row in the query chose for inbox rows of `kind`. */
export function deliveryFor(kind: SQLWrapper): SQL {
  return sql`case ${kind} when 'mention' then ${users.notifyMentioned} when 'assigned' then ${users.notifyAssigned} when 'unassigned' then ${users.notifyAssigned} when 'reminder' then ${users.notifyReminders} else ${users.notifyWatched} end`;
}

/** SQL: the person of the `users` row wants an email at once for an inbox row of `kind`. */
export function wantsEmailNow(kind: SQLWrapper): SQL {
  return and(eq(users.notifyEmail, true), sql`${deliveryFor(kind)} = 'email'`)!;
}

/** SQL: the person of the `users` row wants `kind` in the daily digest. */
export function wantsDigest(kind: SQLWrapper): SQL {
  return and(eq(users.notifyEmail, true), sql`${deliveryFor(kind)} = 'digest'`)!;
}

/** SQL: the person of the `users` row chose the daily digest for at least one kind (and email is on). */
export const digestChosen: SQL = and(
  eq(users.notifyEmail, true),
  sql`(${users.notifyAssigned} = 'digest' or ${users.notifyMentioned} = 'digest' or ${users.notifyWatched} = 'digest' or ${users.notifyReminders} = 'digest')`,
)!;
