import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { invitations, mailDeliveries, projects, users, type Status } from '../../../src/db/schema';
import { StatusBadge } from '../../../src/tickets/views/common';
import { invitationToken, passwordResetToken } from '../../../src/lib/links';
import { MAIL_DEAD_LETTER_QUEUE_NAME, retryDelaySeconds } from '../../../src/mail/consumer';
import { addMember, makeProject } from '../fixtures';
import { createUser, testDb } from '../helpers';
import {
  consume,
  createComment,
  createInvitation,
  createPasswordReset,
  createStatusEvent,
  createTicket,
  DAY,
  httpEnv,
  planned,
} from './mail-helpers';

afterEach(() => {
  vi.restoreAllMocks();
});

async function delivery(id: string) {
  const [row] = await testDb().select().from(mailDeliveries).where(eq(mailDeliveries.id, id));
  return row!;
}

async function invitationRow(id: string) {
  const [row] = await testDb().select().from(invitations).where(eq(invitations.id, id));
  return row!;
}

/** A fake provider: answers every call with `answer()`, and keeps the requests. */
function fakeProvider(answer: (request: Request) => Response | Promise<Response> = () => Response.json({ id: 'p-1' })) {
  const calls: Request[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input as RequestInfo, init);
    calls.push(request.clone());
    return answer(request);
  });
  return { calls };
}

function silenceConsole() {
  return {
    log: vi.spyOn(console, 'log').mockImplementation(() => {}),
    warn: vi.spyOn(console, 'warn').mockImplementation(() => {}),
    error: vi.spyOn(console, 'error').mockImplementation(() => {}),
  };
}

/** The email about the change `eventId` to `recipient`, planned and consumed: its delivery row. */
async function statusEmail(eventId: string, recipient: { id: string; email: string }) {
  const message = await planned(
    { type: 'ticket_activity', kind: 'status', id: eventId, recipientId: recipient.id },
    recipient.email,
  );
  await consume([message]);
  return delivery(message.deliveryId);
}

/** Ada (or `actorName`) changes ticket `number` of a project where Bob, the recipient, is a member. */
async function changedTicket(title: string, number: number, actorName = 'Ada') {
  const actor = await createUser({ name: actorName });
  const recipient = await createUser({ name: 'Bob' });
  const project = await makeProject();
  await addMember(project, recipient);
  const ticket = await createTicket(project.id, title, number);
  return { actor, recipient, project, ticket };
}

describe('the mail consumer with the log transport', () => {
  it('prints an invitation with its join link from APP_ORIGIN and records it as sent', async () => {
    const console = silenceConsole();
    const project = await makeProject({ name: 'Nexus' });
    const { invitation, message } = await createInvitation({ projectId: project.id });
    const { result } = await consume([message]);

    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toEqual([]);
    const link = `http://hticket.test/join/${await invitationToken(env.TOKEN_SECRET!, invitation)}/`;
    const printed = console.log.mock.calls.map((c) => String(c[0])).join('\n');
    expect(printed).toContain(`To:      ${invitation.email}`);
    expect(printed).toContain(link);

    const row = await delivery(message.deliveryId);
    expect(row.status).toBe('SENT');
    expect(row.attempts).toBe(1);
    expect(row.sentAt).toBeTypeOf('number');
    expect(row.subject).toBe('Grace Hopper invited you to Nexus on hticket');
    expect(row.textBody).toContain('Grace Hopper invited you to join the project Nexus');
    expect(row.textBody).toContain(link);
    expect((await invitationRow(invitation.id)).deliveryState).toBe('SENT');
  });

  it('builds the links from APP_ORIGIN whatever origin the app is reached on', async () => {
    silenceConsole();
    const { invitation, message } = await createInvitation();
    await consume([message], { env: { APP_ORIGIN: 'http://127.0.0.2:9000' } });
    const row = await delivery(message.deliveryId);
    const token = await invitationToken(env.TOKEN_SECRET!, invitation);
    expect(row.textBody).toContain(`http://127.0.0.2:9000/join/${token}/`);
    expect(row.textBody).not.toContain('hticket.test');
  });

  it('sends to the address on the invitation as it is now, and records that address', async () => {
    const { calls } = fakeProvider();
    silenceConsole();
    const { invitation } = await createInvitation();
    const message = await planned({ type: 'invitation', id: invitation.id }, 'stale@example.com');
    await consume([message], { env: httpEnv });
    expect(((await calls[0]!.json()) as { to: string[] }).to).toEqual([invitation.email]);
    expect((await delivery(message.deliveryId)).recipient).toBe(invitation.email);
  });

  it('writes a password reset with its link and expiry', async () => {
    silenceConsole();
    const { user, reset, message } = await createPasswordReset();
    await consume([message]);
    const row = await delivery(message.deliveryId);
    expect(row.status).toBe('SENT');
    expect(row.subject).toBe('Reset your hticket password');
    expect(row.textBody).toContain(`Hello ${user.name},`);
    expect(row.textBody).toContain(
      `http://hticket.test/password-reset/${await passwordResetToken(env.TOKEN_SECRET!, reset)}/`,
    );
    expect(row.textBody).toMatch(/expires on \d{1,2} \w+ \d{4} at \d\d:\d\d UTC/);
  });

  it('tells a user they were added to a project, with its link', async () => {
    silenceConsole();
    const user = await createUser({ name: 'Linus' });
    const project = await makeProject({ name: 'Kernel' });
    await addMember(project, user);
    const message = await planned({ type: 'added_to_project', id: user.id, projectId: project.id }, user.email);
    await consume([message]);
    const row = await delivery(message.deliveryId);
    expect(row.status).toBe('SENT');
    expect(row.subject).toBe('You were added to Kernel on hticket');
    expect(row.textBody).toContain(`http://hticket.test/p/${project.key}`);
  });

  it('sends a status change with the ticket key, the change and who made it', async () => {
    silenceConsole();
    const { actor, recipient, project, ticket } = await changedTicket('Fix the login page', 42);
    const event = await createStatusEvent(ticket.id, actor.id, 'OPEN', 'IN_PROGRESS');
    const row = await statusEmail(event.id, recipient);
    expect(row.status).toBe('SENT');
    expect(row.subject).toBe(`[${project.key}-42] Fix the login page: Open → In progress`);
    expect(row.textBody).toContain(`Ada moved ${project.key}-42 from Open to In progress`);
    expect(row.textBody).toContain(`http://hticket.test/p/${project.key}/t/42`);
  });

  it('tells a save that changed several fields in one email, a line for each change', async () => {
    silenceConsole();
    const { actor, recipient, project, ticket } = await changedTicket('Fix the login page', 43);
    const event = await createStatusEvent(ticket.id, actor.id, 'OPEN', 'DONE');
    const at = { createdAt: event.createdAt };
    await createStatusEvent(ticket.id, actor.id, 'Fix login', 'Fix the login page', { field: 'title', ...at });
    await createStatusEvent(ticket.id, actor.id, 'LOW', 'HIGH', { field: 'priority', ...at });
    await createStatusEvent(ticket.id, actor.id, null as unknown as string, recipient.id, { field: 'assignee', ...at });
    // Another save of the same ticket by the same person, a moment later, is not part of this one.
    await createStatusEvent(ticket.id, actor.id, 'DONE', 'REVIEW', { createdAt: event.createdAt + 1 });
    const row = await statusEmail(event.id, recipient);
    expect(row.status).toBe('SENT');
    expect(row.subject).toBe(
      `[${project.key}-43] Fix the login page: the status, the priority, the assignee and the title changed`,
    );
    const lines = row.textBody!.split('\n').map((l) => l.trim());
    expect(lines).toEqual(
      expect.arrayContaining([
        `Ada changed ${project.key}-43: Fix the login page`,
        'Status: Open → Done',
        'Priority: Low → High',
        'Assignee: nothing → Bob',
        'Title: Fix login → Fix the login page',
      ]),
    );
    expect(row.textBody).not.toContain('Review');
  });

  it('calls every status what the ticket pages call it', async () => {
    silenceConsole();
    const { actor, recipient, project, ticket } = await changedTicket('Ship it', 7);
    // The label a page shows is the text of its badge.
    const onPage = (status: Status) => String(StatusBadge({ status })).replace(/<[^>]*>/g, '');
    expect(onPage('REVIEW')).toBe('Review');
    for (const [from, to] of [
      ['OPEN', 'IN_PROGRESS'],
      ['IN_PROGRESS', 'REVIEW'],
      ['REVIEW', 'DONE'],
    ] as const) {
      const event = await createStatusEvent(ticket.id, actor.id, from, to);
      const row = await statusEmail(event.id, recipient);
      expect(row.subject).toBe(`[${project.key}-7] Ship it: ${onPage(from)} → ${onPage(to)}`);
    }
  });

  it('sends a comment as a plain-text excerpt, escaped in the HTML body', async () => {
    const { calls } = fakeProvider();
    silenceConsole();
    const {
      actor: author,
      recipient,
      project,
      ticket,
    } = await changedTicket('Title with <b>tags</b> & "quotes"', 7, 'Eve <script>');
    const comment = await createComment(
      ticket.id,
      author.id,
      '**Looks good**, see [the docs](https://x.test)\n\n<img src=x onerror=alert(1)>',
    );
    const message = await planned(
      { type: 'ticket_activity', kind: 'comment', id: comment.id, recipientId: recipient.id },
      recipient.email,
    );
    await consume([message], { env: httpEnv });
    const sent = (await calls[0]!.json()) as { subject: string; text: string; html: string };
    expect(sent.subject).toBe(`[${project.key}-7] Eve <script> commented on Title with <b>tags</b> & "quotes"`);
    expect(sent.text).toContain('> Looks good, see the docs');
    expect(sent.text).not.toContain('<img');
    expect(sent.html).toContain('Eve &lt;script&gt; commented on');
    expect(sent.html).toContain('Title with &lt;b&gt;tags&lt;/b&gt; &amp; &quot;quotes&quot;');
    expect(sent.html).not.toContain('<script>');
    expect(sent.html).not.toContain('<b>');
    expect(sent.html).toContain(`href="http://hticket.test/p/${project.key}/t/7"`);
  });

  it("tells an assignee change by the people's current names, not their ids", async () => {
    silenceConsole();
    const { actor, recipient, project, ticket } = await changedTicket('Fix the login page', 3);
    const before = await createUser({ name: 'Cy' });
    const after = await createUser({ name: 'Dee' });
    const event = await createStatusEvent(ticket.id, actor.id, before.id, after.id, { field: 'assignee' });
    await testDb().update(users).set({ name: 'Dee Renamed' }).where(eq(users.id, after.id));
    const row = await statusEmail(event.id, recipient);
    expect(row.subject).toBe(`[${project.key}-3] Fix the login page: Cy → Dee Renamed`);
    expect(row.textBody).toContain(`Ada changed the assignee of ${project.key}-3 from Cy to Dee Renamed`);
    expect(row.textBody).not.toContain(after.id);
  });

  it("shows a mention in a comment as @ and the member's current name, not its stored token", async () => {
    silenceConsole();
    const { actor: author, recipient, project, ticket } = await changedTicket('Ship it', 8);
    const gone = await createUser({ name: 'Gus' });
    const comment = await createComment(
      ticket.id,
      author.id,
      `Over to you @[Bob](${recipient.id}), thanks; not @[Gus](${gone.id})`,
    );
    await testDb().update(users).set({ name: 'Robert' }).where(eq(users.id, recipient.id));
    const message = await planned(
      { type: 'ticket_activity', kind: 'comment', id: comment.id, recipientId: recipient.id },
      recipient.email,
    );
    await consume([message]);
    const row = await delivery(message.deliveryId);
    expect(row.textBody).toContain('> Over to you @Robert, thanks; not @former member');
    expect(row.textBody).not.toContain(recipient.id);
  });
});

describe('what the consumer does not send', () => {
  it('skips a revoked, used or expired invitation without calling the provider', async () => {
    const { calls } = fakeProvider();
    silenceConsole();
    const revoked = await createInvitation({ revokedAt: Date.now() });
    const used = await createInvitation({ usedAt: Date.now() });
    const expired = await createInvitation({ expiresAt: Date.now() - 1000 });
    const { result } = await consume([revoked.message, used.message, expired.message], { env: httpEnv });
    expect(calls).toHaveLength(0);
    expect(result.explicitAcks).toHaveLength(3);
    expect((await delivery(revoked.message.deliveryId)).lastError).toBe('not sent: the invitation was revoked');
    expect((await delivery(used.message.deliveryId)).lastError).toBe('not sent: the invitation was already used');
    expect((await delivery(expired.message.deliveryId)).status).toBe('SKIPPED');
  });

  it('skips a used password reset and one whose row is gone', async () => {
    const { calls } = fakeProvider();
    silenceConsole();
    const used = await createPasswordReset({ usedAt: Date.now() });
    const gone = await planned({ type: 'password_reset', id: crypto.randomUUID() }, 'gone@example.com');
    await consume([used.message, gone], { env: httpEnv });
    expect(calls).toHaveLength(0);
    expect((await delivery(used.message.deliveryId)).status).toBe('SKIPPED');
    expect((await delivery(gone.deliveryId)).lastError).toBe('not sent: the password reset no longer exists');
  });

  it('sends no ticket activity to someone who turned email off, is disabled, or left the project', async () => {
    const { calls } = fakeProvider();
    silenceConsole();
    const project = await makeProject();
    const ticket = await createTicket(project.id, 'Quiet');
    const event = await createStatusEvent(ticket.id, null, 'OPEN', 'DONE');
    const quiet = await createUser({ notifyEmail: false });
    const disabled = await createUser({ disabledAt: Date.now() });
    const outsider = await createUser();
    await addMember(project, quiet);
    await addMember(project, disabled);
    const messages = await Promise.all(
      [quiet, disabled, outsider].map((u) =>
        planned({ type: 'ticket_activity', kind: 'status', id: event.id, recipientId: u.id }, u.email),
      ),
    );
    await consume(messages, { env: httpEnv });
    expect(calls).toHaveLength(0);
    const errors = await Promise.all(messages.map(async (m) => (await delivery(m.deliveryId)).lastError));
    expect(errors).toEqual([
      'not sent: the recipient turned email notifications off',
      'not sent: the recipient is disabled',
      'not sent: the recipient can no longer see the project',
    ]);
  });
});

describe('the mail consumer with the HTTP provider', () => {
  it('posts the email to the provider with the key, JSON body and the delivery id as idempotency key', async () => {
    const { calls } = fakeProvider(() => Response.json({ id: 'd91cd9bd-provider' }));
    silenceConsole();
    const { invitation, message } = await createInvitation();
    const { result } = await consume([message], { env: httpEnv });
    expect(result.explicitAcks).toHaveLength(1);

    expect(calls).toHaveLength(1);
    const request = calls[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('https://mail-provider.test/emails');
    expect(request.headers.get('Authorization')).toBe('Bearer re_test_key');
    expect(request.headers.get('Content-Type')).toBe('application/json');
    expect(request.headers.get('Idempotency-Key')).toBe(message.deliveryId);
    const body = (await request.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['from', 'html', 'subject', 'text', 'to']);
    expect(body.from).toBe('hticket <noreply@hticket.test>');
    expect(body.to).toEqual([invitation.email]);
    const link = `http://hticket.test/join/${await invitationToken(env.TOKEN_SECRET!, invitation)}/`;
    expect(body.text).toContain(link);
    expect(body.html).toContain(`href="${link}"`);

    const row = await delivery(message.deliveryId);
    expect(row.status).toBe('SENT');
    expect(row.providerId).toBe('d91cd9bd-provider');
  });

  it('calls the provider once for a message delivered twice', async () => {
    const { calls } = fakeProvider();
    silenceConsole();
    const { message } = await createInvitation();
    const first = await consume([message, message], { env: httpEnv });
    const again = await consume([message], { env: httpEnv, attempts: 2 });
    expect(calls).toHaveLength(1);
    expect(first.result.explicitAcks).toEqual(first.ids);
    expect(again.result.explicitAcks).toEqual(again.ids);
    expect((await delivery(message.deliveryId)).attempts).toBe(1);
  });

  it('retries a provider 500 with a delay that grows with the attempts', async () => {
    fakeProvider(() => new Response('upstream exploded', { status: 500 }));
    silenceConsole();
    const { invitation, message } = await createInvitation();
    const first = await consume([message], { env: httpEnv, attempts: 1 });
    const third = await consume([message], { env: httpEnv, attempts: 3 });
    expect(first.result.explicitAcks).toEqual([]);
    expect(first.result.retryMessages.map((m) => m.msgId)).toEqual(first.ids);
    expect(first.delays).toEqual([{ msgId: first.ids[0], delaySeconds: 30 }]);
    expect(third.delays).toEqual([{ msgId: third.ids[0], delaySeconds: 120 }]);

    const row = await delivery(message.deliveryId);
    expect(row.status).toBe('QUEUED');
    expect(row.attempts).toBe(2);
    expect(row.lastError).toBe('provider answered 500: upstream exploded');
    const inv = await invitationRow(invitation.id);
    expect(inv.deliveryState).toBe('QUEUED');
    expect(inv.deliveryError).toBe('retrying: provider answered 500: upstream exploded');
  });

  it('retries a 429, waiting at least as long as Retry-After asks', async () => {
    fakeProvider(
      () => new Response('{"message":"Too many requests"}', { status: 429, headers: { 'Retry-After': '90' } }),
    );
    silenceConsole();
    const { message } = await createInvitation();
    const { result, delays, ids } = await consume([message], { env: httpEnv });
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(ids);
    expect(delays).toEqual([{ msgId: ids[0], delaySeconds: 90 }]);
    expect((await delivery(message.deliveryId)).lastError).toBe('provider answered 429: Too many requests');
  });

  it('retries when the provider cannot be reached', async () => {
    fakeProvider(() => {
      throw new TypeError('fetch failed');
    });
    silenceConsole();
    const { message } = await createInvitation();
    const { result, delays, ids } = await consume([message], { env: httpEnv, attempts: 2 });
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(ids);
    expect(delays).toEqual([{ msgId: ids[0], delaySeconds: 60 }]);
    expect((await delivery(message.deliveryId)).lastError).toMatch(/^network error: TypeError: fetch failed/);
  });

  it('marks a 400 as failed and acks it without retrying', async () => {
    fakeProvider(() => Response.json({ statusCode: 422, message: 'Invalid `to` field.' }, { status: 400 }));
    silenceConsole();
    const { invitation, message } = await createInvitation();
    const { result, ids } = await consume([message], { env: httpEnv });
    expect(result.explicitAcks).toEqual(ids);
    expect(result.retryMessages).toEqual([]);
    const row = await delivery(message.deliveryId);
    expect(row.status).toBe('FAILED');
    expect(row.lastError).toBe('provider answered 400: Invalid `to` field.');
    const inv = await invitationRow(invitation.id);
    expect(inv.deliveryState).toBe('FAILED');
    expect(inv.deliveryError).toBe('provider answered 400: Invalid `to` field.');
  });

  it('acks the others when one message of the batch fails', async () => {
    const failing = await createInvitation();
    const fine = [await createInvitation(), await createInvitation()];
    fakeProvider(async (request) => {
      const body = (await request.json()) as { to: string[] };
      return body.to[0] === failing.invitation.email
        ? new Response('down', { status: 503 })
        : Response.json({ id: 'ok' });
    });
    silenceConsole();
    const { result, delays, ids } = await consume([fine[0]!.message, failing.message, fine[1]!.message], {
      env: httpEnv,
    });
    expect(result.explicitAcks.sort()).toEqual([ids[0], ids[2]].sort());
    expect(result.retryMessages.map((m) => m.msgId)).toEqual([ids[1]]);
    expect(delays).toEqual([{ msgId: ids[1], delaySeconds: 30 }]);
    expect((await delivery(fine[0]!.message.deliveryId)).status).toBe('SENT');
    expect((await delivery(fine[1]!.message.deliveryId)).status).toBe('SENT');
  });

  it('acks and logs a malformed or unknown message instead of retrying it', async () => {
    const { calls } = fakeProvider();
    const console = silenceConsole();
    const { result, ids } = await consume(
      [
        'not json at all',
        { type: 'newsletter', id: crypto.randomUUID(), deliveryId: crypto.randomUUID() },
        { type: 'invitation', id: 'nope' },
      ],
      { env: httpEnv },
    );
    expect(result.explicitAcks.sort()).toEqual([...ids].sort());
    expect(result.retryMessages).toEqual([]);
    expect(calls).toHaveLength(0);
    const logged = console.error.mock.calls.map((c) => String(c[0]));
    expect(logged).toHaveLength(3);
    for (const [i, id] of ids.entries()) expect(logged[i]).toContain(`dropped malformed message ${id}`);
  });

  it('retries the batch and names MAIL_API_KEY when the HTTP transport has no key', async () => {
    const { calls } = fakeProvider();
    const console = silenceConsole();
    const { message } = await createInvitation();
    const { result, retryAllCalls } = await consume([message], { env: { ...httpEnv, MAIL_API_KEY: '' } });
    expect(calls).toHaveLength(0);
    expect(result.retryBatch.retry).toBe(true);
    expect(retryAllCalls).toEqual([[{ delaySeconds: 300 }]]);
    expect(String(console.error.mock.calls[0]?.[0])).toContain('MAIL_API_KEY');
    expect((await delivery(message.deliveryId)).status).toBe('QUEUED');
  });

  it('does not mark an invitation failed when an older email fails after a newer one was sent', async () => {
    silenceConsole();
    const { invitation, message: older } = await createInvitation();
    const olderPlannedAt = (await delivery(older.deliveryId)).createdAt;
    const newer = await planned({ type: 'invitation', id: invitation.id }, invitation.email, olderPlannedAt + 60_000);
    await consume([newer]);
    expect((await invitationRow(invitation.id)).deliveryState).toBe('SENT');
    fakeProvider(() => new Response('bad', { status: 422 }));
    await consume([older], { env: httpEnv });
    expect((await delivery(older.deliveryId)).status).toBe('FAILED');
    expect((await invitationRow(invitation.id)).deliveryState).toBe('SENT');
  });
});

describe('the dead-letter consumer', () => {
  it('marks the delivery and the invitation as failed, keeping the last error', async () => {
    fakeProvider(() => new Response('down', { status: 502 }));
    silenceConsole();
    const { invitation, message } = await createInvitation();
    await consume([message], { env: httpEnv });
    const { result, ids } = await consume([message], { queue: MAIL_DEAD_LETTER_QUEUE_NAME });
    expect(result.explicitAcks).toEqual(ids);
    const row = await delivery(message.deliveryId);
    expect(row.status).toBe('FAILED');
    expect(row.lastError).toBe('gave up after 1 attempt: provider answered 502: down');
    const inv = await invitationRow(invitation.id);
    expect(inv.deliveryState).toBe('FAILED');
    expect(inv.deliveryError).toBe('gave up after 1 attempt: provider answered 502: down');
  });

  it('leaves a delivery that was sent in the meantime alone', async () => {
    silenceConsole();
    const { message } = await createInvitation();
    await consume([message]);
    await consume([message], { queue: MAIL_DEAD_LETTER_QUEUE_NAME });
    expect((await delivery(message.deliveryId)).status).toBe('SENT');
  });
});

describe('retry delays', () => {
  it('double with every attempt up to an hour', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map(retryDelaySeconds)).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
  });
});

describe('user content in emails', () => {
  it('folds a name with line breaks into a one-line subject (no header injection)', async () => {
    const { calls } = fakeProvider();
    silenceConsole();
    const user = await createUser({ name: 'Mallory' });
    const project = await makeProject({ name: 'Evil\r\nBcc: victim@example.com\nX' });
    await addMember(project, user);
    const message = await planned({ type: 'added_to_project', id: user.id, projectId: project.id }, user.email);
    await consume([message], { env: httpEnv });
    const sent = (await calls[0]!.json()) as { subject: string };
    expect(sent.subject).toBe('You were added to Evil Bcc: victim@example.com X on hticket');
    expect((await delivery(message.deliveryId)).subject).not.toMatch(/[\r\n]/);
  });

  it('skips the added-to-project email when the user was removed or the project archived meanwhile', async () => {
    const { calls } = fakeProvider();
    silenceConsole();
    const removed = await createUser();
    const project = await makeProject();
    const gone = await planned({ type: 'added_to_project', id: removed.id, projectId: project.id }, removed.email);
    const kept = await createUser();
    const archived = await makeProject();
    await addMember(archived, kept);
    await testDb().update(projects).set({ archivedAt: Date.now() }).where(eq(projects.id, archived.id));
    const shelved = await planned({ type: 'added_to_project', id: kept.id, projectId: archived.id }, kept.email);
    await consume([gone, shelved], { env: httpEnv });
    expect(calls).toHaveLength(0);
    expect((await delivery(gone.deliveryId)).lastError).toBe('not sent: the user is no longer a member of the project');
    expect((await delivery(shelved.deliveryId)).lastError).toBe('not sent: the project is archived');
  });
});
