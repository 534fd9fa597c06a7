/**
 * @module bench/hello — the floor of the CPU figures: the smallest Worker, run by the same wrangler and workerd as
 * hticket. `/d1` runs one batch of four single-row reads by index on the benchmark's database (the session check's
 * shape plus one ticket), so the report can say what the local D1 alone costs per round trip; `/do` tells a Durable
 * Object about a change after the response, as hticket's writes announce to their project's object (src/live), so the
 * report can say what that call costs locally; `/scrypt?cost=N` hashes a password as sign-in and join do, at cost N.
 */
import { scrypt } from 'node:crypto';
import { DurableObject } from 'cloudflare:workers';

/** The live layer's object reduced to what an announcement does: bump a stored counter, send to open sockets. */
export class Room extends DurableObject {
  async announce(change) {
    const seq = (this.ctx.storage.kv.get('seq') ?? 0) + 1;
    this.ctx.storage.kv.put('seq', seq);
    const text = JSON.stringify({ type: 'change', seq, ...change });
    let sent = 0;
    for (const ws of this.ctx.getWebSockets()) {
      ws.send(text);
      sent++;
    }
    return sent;
  }
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    // One password hash as sign-in and join make it (r = 8, p = 1), at the cost (log2 N) asked for.
    if (url.pathname === '/scrypt') {
      const N = 2 ** Number(url.searchParams.get('cost') ?? 14);
      const key = await new Promise((resolve, reject) =>
        scrypt('a password', 'sixteen byte salt', 32, { N, r: 8, p: 1, maxmem: 256 * N * 8 }, (err, k) =>
          err ? reject(err) : resolve(k),
        ),
      );
      return new Response(key.toString('hex'));
    }
    if (url.pathname === '/d1') {
      const results = await env.DB.batch([
        env.DB.prepare('SELECT * FROM sessions WHERE id = (SELECT id FROM sessions LIMIT 1)'),
        env.DB.prepare('SELECT * FROM users WHERE id = (SELECT user_id FROM sessions LIMIT 1)'),
        env.DB.prepare('SELECT * FROM projects WHERE key = ?').bind('BENC'),
        env.DB.prepare(
          'SELECT * FROM tickets WHERE project_id = (SELECT id FROM projects WHERE key = ?) AND number = ?',
        ).bind('BENC', 50_003),
      ]);
      return Response.json(results.map((r) => r.results.length));
    }
    if (url.pathname === '/do') {
      // As src/live's announce: one RPC call to the project's object, after the response (waitUntil).
      const room = env.ROOM.get(env.ROOM.idFromName('BENC'));
      const by = { id: '00000000-0000-4000-8000-000000000001', name: 'Bench Manager' };
      ctx.waitUntil(room.announce({ ticket: 'BENC-1', kind: 'created', by, version: 1, tab: null }));
      return new Response('hello', { headers: { 'content-type': 'text/plain' } });
    }
    return new Response('hello', { headers: { 'content-type': 'text/plain' } });
  },
};
