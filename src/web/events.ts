/**
 * @module web/events — the events a write announces in `HX-Trigger` and lists listen for (`hx-trigger="… from:body"`).
 * Routes name them through `trigger()` and views through `on()`, both typed by `EventName`, so a misspelt event
 * fails the type check instead of silently never firing.
 */
export const EVENT_NAMES = [
  'projectListUpdated',
  'projectUpdated',
  'memberListUpdated',
  'ticketListUpdated',
  'ticketUpdated',
  /** A change made in place: the open ticket's activity refetches itself (the fields form answered already). */
  'ticketActivityUpdated',
  'invitationListUpdated',
  'profileUpdated',
  /** An edit was saved: `{ url }` of the ticket; app.js shows its view again in the modal. */
  'ticketSaved',
  /** A ticket was deleted: `{ url, list }`; app.js leaves the ticket's own page for its list. */
  'ticketDeleted',
] as const;

export type EventName = (typeof EVENT_NAMES)[number];

/** The `hx-trigger` value of an element that refreshes when any of `events` is announced anywhere on the page. */
export function on(...events: [EventName, ...EventName[]]): string {
  return events.map((event) => `${event} from:body`).join(', ');
}
