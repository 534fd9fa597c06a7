/**
 * @module live/messages — what goes over a project's WebSocket. An event says what changed (a ticket key and a kind),
 * who did it and the ticket's version, never a title or any text: the page fetches what it shows through the usual
 * routes, with the usual permission checks.
 */

/** The person a socket belongs to, as the Worker checked them at the upgrade. */
export interface Viewer {
  id: string;
  name: string;
}

export const CHANGE_KINDS = ['created', 'ticket', 'status', 'comment', 'deleted', 'member', 'project'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface Change {
  type: 'change';
  /** The ticket's key (`NEX-3`), or null for a change to the project or its members. */
  ticket: string | null;
  kind: ChangeKind;
  by: Viewer;
  /** The ticket's version after the change, when it has one. */
  version: number | null;
  /** The browser tab the change came from (its `X-Live-Tab` header): that tab already refreshed itself. */
  tab: string | null;
  /** The project's change counter: a page that sees it jump after a reconnect knows it missed something. */
  seq: number;
}

export interface Looker extends Viewer {
  /** The socket's own id (one person may look from two tabs). */
  sid: string;
}

/** Who looks at what: `board`, `list` or a ticket key, each with its viewers. */
export interface Presence {
  type: 'presence';
  looking: Record<string, Looker[]>;
}

/** The first message on a socket: who the page is, and the latest change number. */
export interface Hello {
  type: 'hello';
  you: string;
  sid: string;
  seq: number;
}

export type ServerMessage = Change | Presence | Hello;

/** What a page may say it looks at. */
export const LOOK_RE = /^(board|list|[A-Z]{2,6}-[1-9]\d{0,8})$/;
