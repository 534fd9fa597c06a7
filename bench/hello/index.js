/**
 * @module bench/hello — the floor of the CPU figures: the smallest Worker, run by the same wrangler and workerd as
 * hticket. `/d1` runs one batch of four single-row reads by index on the benchmark's database (the session check's
 * shape plus one ticket), so the report can say what the local D1 alone costs per round trip; `/scrypt?cost=N` hashes
 * a password as sign-in and join do, at cost N.
 */
import { scrypt } from 'node:crypto';

export default {
  async fetch(request, env) {
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
    return new Response('hello', { headers: { 'content-type': 'text/plain' } });
  },
};
