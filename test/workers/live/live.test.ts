import { evictDurableObject, listDurableObjectIds, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Change } from '../../../src/live/messages';
import type { ProjectRoom } from '../../../src/live/project-room';
import { makeProject, member } from '../fixtures';
import { roundTrips, send, signedIn } from '../helpers';
import { fileTicket } from '../tickets/fixtures';
import { isChange, listen, type Listener } from './live-helpers';

const room = (key: string) => env.LIVE!.get(env.LIVE!.idFromName(key));

/** Every change the listener got up to a marker announced after the write: exactly what that write announced. */
async function changesOfOneWrite(key: string, listener: Listener): Promise<Change[]> {
  await listener.next(isChange);
  const by = { id: 'marker', name: 'marker' };
  await runInDurableObject(room(key), (r: ProjectRoom) =>
    r.announce({ ticket: null, kind: 'project', by, version: null, tab: null }),
  );
  await listener.next((m): m is Change => isChange(m) && m.by.id === 'marker');
  const changes = listener.changes();
  listener.messages.length = 0;
  // The change counter goes up by one per announcement, the marker's included.
  const seqs = changes.map((m) => m.seq);
  expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
  return changes.filter((m) => m.by.id !== 'marker').map((m) => ({ ...m, seq: 0 }));
}

describe('live updates', () => {
  it('tells every listening member about each committed write, once, with no text of the ticket', async () => {
    const project = await makeProject();
    const ada = await member(project, { name: 'Ada' });
    const bob = await member(project, { name: 'Bob' });
    const adaPage = await listen(project.key, ada.cookie);
    const bobPage = await listen(project.key, bob.cookie);
    const by = { id: bob.user.id, name: 'Bob' };
    const key1 = `${project.key}-1`;

    const number = await fileTicket(project, bob.cookie, { title: 'Secret title' });
    expect(number).toBe(1);
    const created = await changesOfOneWrite(project.key, adaPage);
    expect(created).toEqual([{ type: 'change', ticket: key1, kind: 'created', by, version: 1, tab: null, seq: 0 }]);
    expect(JSON.stringify(created)).not.toContain('Secret');
    expect(await changesOfOneWrite(project.key, bobPage)).toHaveLength(1);

    const edit = await send(`/p/${project.key}/t/1`, {
      cookie: bob.cookie,
      htmx: true,
      // The tab that made the change is named, so that tab skips the event (it refreshed from its own response).
      headers: { 'X-Live-Tab': 'tab0123456' },
      form: { title: 'Edited', status: 'OPEN', priority: 'HIGH', version: '1' },
    });
    expect(edit.status).toBe(204);
    expect(roundTrips(edit)).toBe(1);
    expect(await changesOfOneWrite(project.key, adaPage)).toEqual([
      { type: 'change', ticket: key1, kind: 'ticket', by, version: 2, tab: 'tab0123456', seq: 0 },
    ]);

    const move = await send(`/p/${project.key}/t/1/status`, {
      cookie: bob.cookie,
      htmx: true,
      form: { status: 'DONE', version: '2' },
    });
    expect(move.status).toBe(204);
    expect(await changesOfOneWrite(project.key, adaPage)).toEqual([
      { type: 'change', ticket: key1, kind: 'status', by, version: 3, tab: null, seq: 0 },
    ]);

    const comment = await send(`/p/${project.key}/t/1/comments`, {
      cookie: bob.cookie,
      htmx: true,
      form: { body: 'Done and dusted' },
    });
    expect(comment.status).toBe(200);
    expect(await changesOfOneWrite(project.key, adaPage)).toEqual([
      { type: 'change', ticket: key1, kind: 'comment', by, version: null, tab: null, seq: 0 },
    ]);
  });

  it('refuses the upgrade with 404 to someone who cannot see the project, and makes no object for it', async () => {
    const project = await makeProject();
    const outsider = await signedIn();
    const res = await send(`/p/${project.key}/live`, { cookie: outsider.cookie, headers: { Upgrade: 'websocket' } });
    expect(res.status).toBe(404);
    expect(res.webSocket).toBeNull();
    expect(roundTrips(res)).toBe(1);
    const anonymous = await send(`/p/${project.key}/live`, { headers: { Upgrade: 'websocket' } });
    expect(anonymous.status).toBe(302);
    expect(anonymous.webSocket).toBeNull();
    const ids = await listDurableObjectIds(env.LIVE!);
    expect(ids.map(String)).not.toContain(String(env.LIVE!.idFromName(project.key)));
  });

  it('closes the sockets of a member the moment they are removed, and tells the others', async () => {
    const project = await makeProject();
    const manager = await signedIn({ role: 'MANAGER', name: 'Manager' });
    const ada = await member(project, { name: 'Ada' });
    const bob = await member(project, { name: 'Bob' });
    const adaPage = await listen(project.key, ada.cookie);
    const bobPage = await listen(project.key, bob.cookie);
    const bobSecondTab = await listen(project.key, bob.cookie);

    const res = await send(`/p/${project.key}/members/${bob.user.id}/remove`, {
      method: 'POST',
      cookie: manager.cookie,
      htmx: true,
    });
    expect(res.status).toBe(200);
    const [closed, closedToo] = await Promise.all([bobPage.closed, bobSecondTab.closed]);
    expect(closed.code).toBe(4403);
    expect(closedToo.code).toBe(4403);
    const change = await adaPage.next(isChange);
    expect(change).toMatchObject({ ticket: null, kind: 'member', by: { id: manager.user.id } });
    expect(adaPage.ws.readyState).toBe(WebSocket.OPEN);
    // Listening again is refused like the project's pages.
    const again = await send(`/p/${project.key}/live`, { cookie: bob.cookie, headers: { Upgrade: 'websocket' } });
    expect(again.status).toBe(404);
  });

  it('remembers who looks at what, and the change count, through an eviction of the object', async () => {
    const project = await makeProject();
    const ada = await member(project, { name: 'Ada' });
    const bob = await member(project, { name: 'Bob' });
    const adaPage = await listen(project.key, ada.cookie);
    const bobPage = await listen(project.key, bob.cookie);
    await fileTicket(project, ada.cookie);
    await bobPage.next(isChange);
    bobPage.say(`${project.key}-1`);
    await adaPage.presence((m) => m.looking[`${project.key}-1`]?.length === 1);

    await evictDurableObject(room(project.key));
    const sockets = await runInDurableObject(room(project.key), (_r: ProjectRoom, state) => state.getWebSockets());
    expect(sockets).toHaveLength(2);

    adaPage.messages.length = 0;
    adaPage.say('board');
    const presence = await adaPage.presence((m) => m.looking.board?.length === 1);
    expect(presence.looking[`${project.key}-1`]?.map((l) => l.name)).toEqual(['Bob']);
    expect(presence.looking.board?.map((l) => l.name)).toEqual(['Ada']);

    await fileTicket(project, ada.cookie);
    const next = await bobPage.next((m): m is Change => isChange(m) && m.ticket === `${project.key}-2`);
    expect(next.seq).toBe(2);
    expect(bobPage.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('shows a leaving page’s viewer gone from the presence', async () => {
    const project = await makeProject();
    const ada = await member(project, { name: 'Ada' });
    const bob = await member(project, { name: 'Bob' });
    const adaPage = await listen(project.key, ada.cookie);
    const bobPage = await listen(project.key, bob.cookie);
    bobPage.say('board');
    await adaPage.presence((m) => m.looking.board?.length === 1);
    adaPage.messages.length = 0;
    bobPage.ws.close(1000, 'bye');
    await adaPage.presence((m) => !m.looking.board);
  });
});
