/** @module bench/seed — the benchmark data set as one small SQL file: rows are generated in SQL, not listed. */
import { createHash, randomBytes, randomUUID, scryptSync } from 'node:crypto';
import { COMMENT_MAX, MARKDOWN_VERSION, markdownToHtml } from '../src/lib/markdown.ts';

/** The three project sizes; each gets its own key so the same routes can be measured side by side. */
export const SIZES = [
  { key: 'BENA', tickets: 10, commentsPerTicket: 3 },
  { key: 'BENB', tickets: 1_000, commentsPerTicket: 2 },
  // Every tenth ticket gets a comment so the comments table is not trivially small; the measured ticket gets two.
  { key: 'BENC', tickets: 100_000, commentsPerTicket: 0, commentEvery: 10 },
];

/** The ticket the modal and the write routes use: an assigned, in-progress or done one from the middle. */
export function benchTicketNumber(size) {
  return Math.min(size.tickets, Math.floor(size.tickets / 2) + 3);
}

const MEMBER_COUNT = 8;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** 24 characters of lower-case base32, the shape the session cookie parser accepts. */
function sessionSecret() {
  return Array.from(randomBytes(24), (b) => BASE32[b % 32]).join('');
}

const q = (value) => `'${String(value).replaceAll("'", "''")}'`;

/** A UUID-shaped id made by the database, for rows generated in bulk: SQLite (D1) and PostgreSQL. */
const SQL_UUIDS = {
  d1: `lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))`,
  postgres: 'gen_random_uuid()',
};

/** A hash in the app's format (`scrypt$N$r$p$salt$key`) at the default cost, N = 2^14. */
function passwordHash(password) {
  const N = 2 ** 14;
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize('NFKC'), salt, 32, { N, r: 8, p: 1, maxmem: 256 * N * 8 });
  return ['scrypt', N, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
}

/**
 * Builds the seed: a manager who belongs to every project (plus a few members to assign tickets to), a session
 * whose cookie the benchmark knows, and the projects of every size with tickets, comments and matching counters.
 * `database` is `d1` (SQLite) or `postgres`: the SQL is the same but for the UUIDs made in bulk.
 */
const DESCRIPTION = (n) => `Steps to reproduce ticket ${n}

1. Open the project
2. Follow the **steps**

Expected: it works.`;
const COMMENT = (c, n) => `Comment ${c} on ticket ${n}: looked into it, *details* below.`;

/**
 * A text made in SQL from a template: `template` called with one SQL expression per argument gives the pieces around
 * them. Numbers stand in for the expressions (Markdown leaves them alone), so the stored HTML is made the same way.
 */
function sqlTemplate(render, ...expressions) {
  const marks = expressions.map((_, i) => String(9_876_543_210 + i));
  let text = render(...marks);
  const parts = [];
  for (const [i, mark] of marks.entries()) {
    const at = text.indexOf(mark);
    parts.push(q(text.slice(0, at)), expressions[i]);
    text = text.slice(at + mark.length);
  }
  parts.push(q(text));
  return parts.join(' || ');
}

export function buildSeed({ now = Date.now(), database = 'd1' } = {}) {
  const SQL_UUID = SQL_UUIDS[database];
  const users = Array.from({ length: MEMBER_COUNT }, (_, i) => ({
    id: randomUUID(),
    email: i === 0 ? 'bench-manager@example.com' : `bench-member${i}@example.com`,
    name: i === 0 ? 'Bench Manager' : `Bench Member ${i}`,
    role: i === 0 ? 'MANAGER' : 'MEMBER',
  }));
  const manager = users[0];
  const sessionId = randomUUID();
  const secret = sessionSecret();
  const secretHash = createHash('sha256').update(secret).digest('hex');
  const projects = SIZES.map((size) => ({ ...size, id: randomUUID() }));
  const start = now - 400 * 24 * 60 * 60 * 1000;

  const lines = [];
  // Someone who signs in with a password: the sign-in figure runs the real scrypt on a hash of the default cost.
  const signInUser = { id: randomUUID(), email: 'bench-signin@example.com', password: 'bench sign-in passphrase' };
  lines.push(
    `INSERT INTO users (id, email, name, role, password_hash, created_at) VALUES (${q(signInUser.id)}, ${q(signInUser.email)}, 'Bench Sign-in', 'MEMBER', ${q(passwordHash(signInUser.password))}, ${start});`,
  );
  for (const u of users) {
    lines.push(
      `INSERT INTO users (id, email, name, role, password_hash, created_at) VALUES (${q(u.id)}, ${q(u.email)}, ${q(u.name)}, ${q(u.role)}, 'unusable', ${start});`,
    );
  }
  lines.push(
    `INSERT INTO sessions (id, user_id, secret_hash, created_at, last_seen_at, expires_at) VALUES (${q(sessionId)}, ${q(manager.id)}, ${q(secretHash)}, ${now}, ${now}, ${now + 10 * 365 * 24 * 60 * 60 * 1000});`,
  );
  // PostgreSQL does not turn text into uuid on its own where a generated row is inserted.
  const id = database === 'postgres' ? (v) => `CAST(${q(v)} AS uuid)` : q;
  const userValues = users.map((u, i) => `(${i}, ${id(u.id)})`).join(', ');

  for (const p of projects) {
    lines.push(
      `INSERT INTO projects (id, key, name, description, created_by, created_at) VALUES (${q(p.id)}, ${q(p.key)}, ${q(`Benchmark ${p.tickets.toLocaleString('en')}`)}, ${q(`A project with ${p.tickets} tickets for the benchmark.`)}, ${q(manager.id)}, ${start});`,
    );
    for (const u of users) {
      lines.push(
        `INSERT INTO project_members (project_id, user_id, added_at) VALUES (${q(p.id)}, ${q(u.id)}, ${start});`,
      );
    }
    // Statuses 30% open, 20% in progress, 10% review, 40% done; priorities 30% low, 40% medium, 20% high, 10%
    // critical; one ticket in five unassigned. Tickets are a minute apart and each was updated once, later.
    lines.push(`WITH RECURSIVE seq(n) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT n + 1 FROM seq WHERE n < ${p.tickets}),
  u(i, id) AS (VALUES ${userValues}),
  t(n, st, pr) AS (SELECT n, n % 10, (n * 7) % 10 FROM seq)
INSERT INTO tickets (id, project_id, number, reporter_id, assignee_id, title, description, status, priority, priority_rank, created_at, updated_at, description_html, rendered_version)
SELECT ${SQL_UUID}, ${q(p.id)}, t.n, reporter.id, CASE WHEN t.n % 5 = 0 THEN NULL ELSE assignee.id END,
  'Ticket ' || t.n || ': ' || CASE t.n % 4 WHEN 0 THEN 'fix the login redirect after a session expires' WHEN 1 THEN 'board column counts are off by one' WHEN 2 THEN 'export the ticket list as CSV' ELSE 'slow dashboard on large projects' END,
  ${sqlTemplate(DESCRIPTION, 't.n')},
  CASE WHEN t.st < 3 THEN 'OPEN' WHEN t.st < 5 THEN 'IN_PROGRESS' WHEN t.st < 6 THEN 'REVIEW' ELSE 'DONE' END,
  CASE WHEN t.pr < 3 THEN 'LOW' WHEN t.pr < 7 THEN 'MEDIUM' WHEN t.pr < 9 THEN 'HIGH' ELSE 'CRITICAL' END,
  CASE WHEN t.pr < 3 THEN 0 WHEN t.pr < 7 THEN 1 WHEN t.pr < 9 THEN 2 ELSE 3 END,
  ${start} + t.n * 60000, ${start} + t.n * 60000 + 1000 + (t.n * 7919) % 58000,
  ${sqlTemplate((n) => markdownToHtml(DESCRIPTION(n)), 't.n')}, ${MARKDOWN_VERSION}
FROM t JOIN u AS reporter ON reporter.i = t.n % ${MEMBER_COUNT} JOIN u AS assignee ON assignee.i = (t.n * 3 + 1) % ${MEMBER_COUNT};`);

    const bench = benchTicketNumber(p);
    const most = Math.max(p.commentsPerTicket, 2);
    const count = p.commentEvery
      ? `CASE WHEN t.number = ${bench} THEN 2 WHEN t.number % ${p.commentEvery} = 0 THEN 1 ELSE 0 END`
      : `CASE WHEN t.number = ${bench} THEN ${most} ELSE ${p.commentsPerTicket} END`;
    lines.push(`WITH RECURSIVE k(c) AS (SELECT 1 UNION ALL SELECT c + 1 FROM k WHERE c < ${most}),
  u(i, id) AS (VALUES ${userValues})
INSERT INTO comments (id, ticket_id, author_id, body, created_at, body_html, rendered_version)
SELECT ${SQL_UUID}, t.id, u.id, ${sqlTemplate(COMMENT, 'k.c', 't.number')}, t.created_at + k.c * 1000,
  ${sqlTemplate((c, n) => markdownToHtml(COMMENT(c, n), COMMENT_MAX), 'k.c', 't.number')}, ${MARKDOWN_VERSION}
FROM tickets AS t JOIN k ON k.c <= ${count} JOIN u ON u.i = (t.number + k.c) % ${MEMBER_COUNT}
WHERE t.project_id = ${q(p.id)};`);

    lines.push(`INSERT INTO ticket_events (id, ticket_id, actor_id, field, from_value, to_value, created_at)
SELECT ${SQL_UUID}, t.id, ${q(manager.id)}, 'status', 'OPEN', t.status, t.updated_at
FROM tickets AS t WHERE t.project_id = ${q(p.id)} AND t.number = ${bench} AND t.status <> 'OPEN';`);
  }

  lines.push(`UPDATE projects SET
  next_ticket_number = (SELECT coalesce(max(number), 0) + 1 FROM tickets WHERE project_id = projects.id),
  open_count = (SELECT count(*) FROM tickets WHERE project_id = projects.id AND status = 'OPEN'),
  in_progress_count = (SELECT count(*) FROM tickets WHERE project_id = projects.id AND status = 'IN_PROGRESS'),
  review_count = (SELECT count(*) FROM tickets WHERE project_id = projects.id AND status = 'REVIEW'),
  done_count = (SELECT count(*) FROM tickets WHERE project_id = projects.id AND status = 'DONE');`);

  return {
    sql: lines.join('\n') + '\n',
    cookie: `hticket_session=${sessionId}.${secret}`,
    manager,
    signInUser,
    projects,
  };
}
