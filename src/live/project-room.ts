/**
 * @module live/project-room — the Durable Object of one project: it holds the project's open WebSockets through the
 * Hibernation API and passes on what the Worker announces. No timers and nothing kept only in memory: who a socket
 * belongs to and what it looks at live in the socket's attachment, the event counter in the object's storage, so the
 * object can be evicted between events and wake up knowing everything.
 */
import { DurableObject } from 'cloudflare:workers';
import {
  LOOK_RE,
  type Change,
  type Hello,
  type Looker,
  type Presence,
  type ServerMessage,
  type Viewer,
} from './messages';

/** What each socket carries through hibernation (a few dozen bytes; the platform allows 2 KB). */
interface Attachment {
  /** The viewer's user id and name. */
  id: string;
  name: string;
  /** The socket's own id: presence lists each tab once. */
  sid: string;
  /** What the page shows: `board`, `list` or a ticket key (`NEX-3`); null until the page says. */
  look: string | null;
}

const userTag = (userId: string) => `u:${userId}`;
const SEQ_KEY = 'seq';

/** Close codes the page reads: 4403 means "you may no longer see this project", so it does not reconnect at once. */
export const CLOSE_REVOKED = 4403;

export class ProjectRoom extends DurableObject {
  /** The WebSocket upgrade, forwarded by the Worker once it has checked the session and the project's visibility. */
  override async fetch(request: Request): Promise<Response> {
    const viewer = viewerOf(request);
    if (!viewer || request.headers.get('Upgrade') !== 'websocket') {
      return new Response('Expected a WebSocket upgrade from the Worker.', { status: 426 });
    }
    const { 0: client, 1: server } = new WebSocketPair();
    const attachment: Attachment = { id: viewer.id, name: viewer.name, sid: crypto.randomUUID(), look: null };
    this.ctx.acceptWebSocket(server, [userTag(viewer.id)]);
    server.serializeAttachment(attachment);
    const hello: Hello = { type: 'hello', you: viewer.id, sid: attachment.sid, seq: await this.lastSeq() };
    server.send(JSON.stringify(hello));
    // The page's first message says what it looks at; until then it sees who else is here.
    server.send(JSON.stringify(this.presence()));
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Sends one change to every open socket; answers how many received it. */
  async announce(change: Omit<Change, 'type' | 'seq'>): Promise<number> {
    const seq = (this.ctx.storage.kv.get<number>(SEQ_KEY) ?? 0) + 1;
    this.ctx.storage.kv.put(SEQ_KEY, seq);
    return this.broadcast({ type: 'change', seq, ...change });
  }

  /** Closes a person's sockets here (removed from the project, account disabled); answers how many. */
  async revoke(userId: string): Promise<number> {
    const sockets = this.ctx.getWebSockets(userTag(userId));
    for (const ws of sockets) ws.close(CLOSE_REVOKED, 'No longer a member of this project');
    if (sockets.length) this.broadcast(this.presence());
    return sockets.length;
  }

  /** Closes every socket (the project was deleted). */
  async revokeAll(): Promise<number> {
    const sockets = this.ctx.getWebSockets();
    for (const ws of sockets) ws.close(CLOSE_REVOKED, 'The project is gone');
    return sockets.length;
  }

  /** The number of the latest change announced here (0 before the first). */
  async lastSeq(): Promise<number> {
    return this.ctx.storage.kv.get<number>(SEQ_KEY) ?? 0;
  }

  /** A page says what it looks at (`{"look":"NEX-3"}`); everyone gets the new presence. Anything else is ignored. */
  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    if (typeof message !== 'string' || message.length > 100) return;
    let look: unknown;
    try {
      look = (JSON.parse(message) as { look?: unknown }).look;
    } catch {
      return;
    }
    if (look !== null && (typeof look !== 'string' || !LOOK_RE.test(look))) return;
    const attachment = attachmentOf(ws);
    if (!attachment || attachment.look === look) return;
    ws.serializeAttachment({ ...attachment, look });
    this.broadcast(this.presence());
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    // Replying to the close is automatic at this compatibility date; calling close() again is a no-op.
    ws.close(code === 1005 || code === 1006 ? 1000 : code, 'Closed');
    this.broadcast(this.presence(ws));
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.broadcast(this.presence(ws));
  }

  /** Who looks at what, from the attachments of the open sockets (except `leaving`). */
  private presence(leaving?: WebSocket): Presence {
    const looking: Record<string, Looker[]> = {};
    for (const ws of this.ctx.getWebSockets()) {
      if (ws === leaving || ws.readyState !== WebSocket.OPEN) continue;
      const a = attachmentOf(ws);
      if (!a?.look) continue;
      (looking[a.look] ??= []).push({ id: a.id, name: a.name, sid: a.sid });
    }
    return { type: 'presence', looking };
  }

  private broadcast(message: ServerMessage): number {
    const text = JSON.stringify(message);
    let sent = 0;
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(text);
        sent++;
      } catch {
        // A socket closing meanwhile; its close handler updates the presence.
      }
    }
    return sent;
  }
}

function attachmentOf(ws: WebSocket): Attachment | null {
  return (ws.deserializeAttachment() as Attachment | null) ?? null;
}

/** The viewer the Worker names in its internal headers (only the Worker can reach the object). */
function viewerOf(request: Request): Viewer | null {
  const id = request.headers.get('x-live-user-id');
  const name = request.headers.get('x-live-user-name');
  return id && name ? { id, name: decodeURIComponent(name) } : null;
}
