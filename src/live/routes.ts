/**
 * @module live/routes — `GET /p/:key/live`: a project page's WebSocket. The session and the project's visibility are
 * checked in one round trip, as for the page itself (404 otherwise); the object then keeps the socket.
 */
import { Hono } from 'hono/tiny';
import type { AppEnv } from '../env';
import { authenticate } from '../auth/authenticate';
import { isProjectKey } from '../projects/queries';
import { findProject } from '../projects/queries';
import { validParams } from '../web/params';
import { renderError, renderNotFound } from '../web/render';
import { roomOf } from '.';

export const liveRoutes = new Hono<AppEnv>();

liveRoutes.get('/p/:key/live', validParams({ key: isProjectKey }), async (c) => {
  const key = c.req.param('key');
  const { user, out: project } = await authenticate(c, findProject(key));
  if (!project) return renderNotFound(c);
  const room = roomOf(c.env, key);
  if (c.req.header('Upgrade') !== 'websocket' || !room) {
    return renderError(c, 426, 'Live updates', 'This address is for the page’s live updates (a WebSocket).');
  }
  const headers = new Headers({
    Upgrade: 'websocket',
    'x-live-user-id': user.id,
    'x-live-user-name': encodeURIComponent(user.name),
  });
  const res = await room.fetch(new Request(c.req.url, { headers }));
  // A response of our own: the middleware after this adds headers, and a fetched response's are immutable.
  return new Response(res.body, { status: res.status, headers: res.headers, webSocket: res.webSocket });
});
