/**
 * @module live — live collaboration: after a write commits, routes tell the project's Durable Object
 * (`announce`, `revoke`), off the response path; the object passes a small event to every page that listens
 * (see ./project-room). The upgrade route that lets a page listen is in ./routes.
 */
import type { Context } from 'hono';
import type { AppEnv, Env } from '../env';
import type { ChangeKind, Viewer } from './messages';
import type { ProjectRoom } from './project-room';

type Ctx = Context<AppEnv>;

/** The header app.js adds to every htmx request, naming its tab. */
const TAB_HEADER = 'x-live-tab';
const TAB_RE = /^[a-z0-9]{6,40}$/;

/** The object of the project with this key (keys never change; a deleted project's sockets are closed). */
export function roomOf(env: Env, key: string): DurableObjectStub<ProjectRoom> | null {
  if (!env.LIVE) return null;
  return env.LIVE.get(env.LIVE.idFromName(key));
}

/** Runs `call` on the project's object after the response, never delaying or failing it. */
function tell(c: Ctx, key: string, what: string, call: (room: DurableObjectStub<ProjectRoom>) => Promise<unknown>) {
  const room = roomOf(c.env, key);
  if (!room) return;
  c.executionCtx.waitUntil(call(room).catch((err: unknown) => console.error(`[live] could not ${what}`, err)));
}

export interface Announcement {
  ticket?: string | null;
  kind: ChangeKind;
  by: Viewer;
  version?: number | null;
}

/** A committed change, told to everyone looking at the project. */
export function announce(c: Ctx, key: string, change: Announcement): void {
  const { ticket = null, kind, by, version = null } = change;
  const sent = c.req.header(TAB_HEADER);
  const tab = sent && TAB_RE.test(sent) ? sent : null;
  tell(c, key, 'announce', (room) => room.announce({ ticket, kind, by: { id: by.id, name: by.name }, version, tab }));
}

/** Someone lost the project (removed from it): their open pages stop listening. */
export function revoke(c: Ctx, key: string, userId: string): void {
  tell(c, key, 'revoke', (room) => room.revoke(userId));
}

/** The project was deleted: every page stops listening. */
export function revokeAll(c: Ctx, key: string): void {
  tell(c, key, 'close', (room) => room.revokeAll());
}
