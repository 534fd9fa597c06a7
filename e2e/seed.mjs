/**
 * @module e2e/seed — data for the browser tests that do not walk the journey: the first manager joins through the
 * console link, then projects and tickets are made through the app's own forms (plain same-origin posts, no htmx),
 * as a browser without JavaScript would.
 */
import assert from 'node:assert/strict';

export const SEED_PASSWORD = 'correct horse battery staple';
/** A title with no place to break: it must wrap or clamp, never push the other columns away. */
export const LONG_TITLE = `Crash${'x'.repeat(150)}`;

/** A same-origin form post with the session cookie; answers the response (redirects are not followed). */
async function post(server, cookie, path, fields) {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      Origin: server.url,
      'Content-Type': 'application/x-www-form-urlencoded',
      ...(cookie ? { Cookie: cookie } : {}),
    },
    body: new URLSearchParams(fields),
  });
  await res.arrayBuffer();
  return res;
}

/**
 * The first manager (from the console's join link) with one project, NEX, holding a few tickets: one with a long
 * unbroken title, and one pending invitation. Answers the session cookie, ready for `signInContext`.
 */
export async function seedManager(server, { name = 'Mona Manager' } = {}) {
  const [link] = await server.waitForOutput(/http:\/\/127\.0\.0\.1:\d+\/join\/[0-9a-f-]{36}\//, 30_000);
  const joined = await post(server, '', new URL(link).pathname, {
    name,
    password: SEED_PASSWORD,
    confirm: SEED_PASSWORD,
  });
  assert.equal(joined.status, 303, 'the first manager joined');
  const setCookie = joined.headers.get('set-cookie') ?? '';
  const session = /(hticket_session=[^;]+)/.exec(setCookie)?.[1];
  assert.ok(session, 'joining set a session cookie');
  const created = await post(server, session, '/projects', {
    name: 'Nexus',
    key: 'NEX',
    description: 'The **main** product, with a description long enough to wrap on a phone.',
  });
  assert.equal(created.status, 303, 'the project was created');
  // The manager's id, as the new-ticket form offers it for the assignee.
  const form = await (await fetch(`${server.url}/p/NEX/t/new`, { headers: { Cookie: session } })).text();
  const me = new RegExp(`<option value="([0-9a-f-]{36})">${name}</option>`).exec(form)?.[1];
  assert.ok(me, 'the new-ticket form offers the manager as assignee');
  const tickets = [
    { title: 'Login button is misaligned', priority: 'HIGH', status: 'IN_PROGRESS', assignee: me },
    { title: LONG_TITLE, priority: 'CRITICAL', status: 'OPEN' },
    { title: 'Avatar upload is slow on large pictures', priority: 'LOW', status: 'REVIEW' },
    { title: 'Document the keyboard shortcuts', priority: 'MEDIUM', status: 'DONE' },
  ];
  for (const t of tickets) {
    const res = await post(server, session, '/p/NEX/t', { description: 'Steps:\n\n1. Open it', assignee: '', ...t });
    assert.equal(res.status, 303, `ticket "${t.title.slice(0, 20)}" was created`);
  }
  const comment = await post(server, session, '/p/NEX/t/1/comments', { body: 'Seen on **Firefox** too.' });
  assert.ok(comment.status < 400, 'the comment was posted');
  const invited = await post(server, session, '/invitations', { emails: 'someone.new@example.com', project: '' });
  assert.ok(invited.status < 400, `the invitation was made (${invited.status})`);
  return { cookie: session };
}

/** Puts the session cookie into a browser context. */
export async function signInContext(context, server, cookie) {
  const [name, value] = cookie.split('=');
  await context.addCookies([{ name, value, url: server.url }]);
}
