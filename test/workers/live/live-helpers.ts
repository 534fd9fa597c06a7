/** Listening to a project as a page does: the WebSocket upgrade through the real Worker, and its messages. */
import { expect } from 'vitest';
import type { Change, Presence, ServerMessage } from '../../../src/live/messages';
import { send } from '../helpers';

export interface Listener {
  ws: WebSocket;
  messages: ServerMessage[];
  closed: Promise<CloseEvent>;
  /** Waits (up to 10 s) for a message that fits, and answers it. */
  next<T extends ServerMessage>(fits: (m: ServerMessage) => m is T, timeoutMs?: number): Promise<T>;
  /** Waits for a presence message that fits. */
  presence(fits: (p: Presence) => boolean): Promise<Presence>;
  changes(): Change[];
  say(look: string | null): void;
}

export async function listen(key: string, cookie: string): Promise<Listener> {
  const res = await send(`/p/${key}/live`, { cookie, headers: { Upgrade: 'websocket' } });
  expect(res.status).toBe(101);
  const ws = res.webSocket!;
  ws.accept();
  const messages: ServerMessage[] = [];
  ws.addEventListener('message', (e) => messages.push(JSON.parse(e.data as string) as ServerMessage));
  const closed = new Promise<CloseEvent>((resolve) => ws.addEventListener('close', resolve));
  const listener: Listener = {
    ws,
    messages,
    closed,
    async next(fits, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find(fits);
        if (found) return found;
        if (Date.now() > until) throw new Error(`no such message; got ${JSON.stringify(messages)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    presence: (fits) => listener.next((m): m is Presence => isPresence(m) && fits(m)),
    changes: () => messages.filter(isChange),
    say: (look) => ws.send(JSON.stringify({ look })),
  };
  await listener.next((m): m is ServerMessage => m.type === 'hello');
  return listener;
}

export const isChange = (m: ServerMessage): m is Change => m.type === 'change';
export const isPresence = (m: ServerMessage): m is Presence => m.type === 'presence';
