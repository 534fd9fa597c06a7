import { eq } from 'drizzle-orm';
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { comments, mailDeliveries, ticketEvents, users } from '../../../src/db/schema';
import { makeProject, member } from '../fixtures';
import { roundTrips, send, testDb } from '../helpers';
import { fileTicket, ticketsOf } from './fixtures';

async function deliveriesFor(refId: string) {
  return testDb().select().from(mailDeliveries).where(eq(mailDeliveries.refId, refId));
}

describe('comments', () => {
  it('adds a comment in one round trip and answers the refreshed comments section', async () => {
    const project = await makeProject();
    const { user, cookie } = await member(project, { name: 'Ada' });
    await fileTicket(project, cookie);
    const res = await send(`/p/${project.key}/t/1/comments`, { cookie, htmx: true, form: { body: 'Looks **good**' } });
    expect(res.status).toBe(200);
    expect(roundTrips(res)).toBe(1);
    const html = await res.text();
    expect(html).toMatch(/^<section id="ticket-comments"/);
    expect(html).toContain('<strong>good</strong>');
    expect(html).toContain('Ada');
    const [ticket] = await ticketsOf(project.id);
    const rows = await testDb().select().from(comments).where(eq(comments.ticketId, ticket!.id));
    expect(rows.map((r) => [r.body, r.authorId])).toEqual([['Looks **good**', user.id]]);
    const view = await (await send(`/p/${project.key}/t/1`, { cookie, htmx: true })).text();
    expect(view).toContain('<strong>good</strong>');
  });

  it.each([
    ['an empty comment', '   '],
    ['a comment over 20,000 characters', 'y'.repeat(20_001)],
  ])('refuses %s with 422 next to the field', async (_name, body) => {
    const project = await makeProject();
    const { cookie } = await member(project);
    await fileTicket(project, cookie);
    const res = await send(`/p/${project.key}/t/1/comments`, { cookie, htmx: true, form: { body } });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('id="body-error"');
    expect(await testDb().select().from(comments)).not.toContainEqual(expect.objectContaining({ body }));
  });

  it('answers 404 for a comment on a ticket that does not exist', async () => {
    const project = await makeProject();
    const { cookie } = await member(project);
    const res = await send(`/p/${project.key}/t/5/comments`, { cookie, htmx: true, form: { body: 'hello?' } });
    expect(res.status).toBe(404);
  });
});

describe('notifications', () => {
  it('plans one email per person on the ticket, not the actor, not someone who turned them off', async () => {
    const project = await makeProject();
    const reporter = await member(project);
    const assignee = await member(project);
    const commenter = await member(project);
    const quiet = await member(project, { notifyEmail: false });
    const bystander = await member(project);
    await fileTicket(project, reporter.cookie, { assignee: assignee.user.id });
    await send(`/p/${project.key}/t/1/comments`, { cookie: commenter.cookie, htmx: true, form: { body: 'first' } });
    await send(`/p/${project.key}/t/1/comments`, { cookie: quiet.cookie, htmx: true, form: { body: 'me too' } });

    const res = await send(`/p/${project.key}/t/1/status`, {
      cookie: assignee.cookie,
      htmx: true,
      form: { status: 'DONE' },
    });
    expect(res.status).toBe(204);
    expect(roundTrips(res)).toBe(1);
    const [ticket] = await ticketsOf(project.id);
    const [event] = await testDb().select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticket!.id));
    const rows = await deliveriesFor(event!.id);
    expect(rows.map((r) => r.recipient).sort()).toEqual([reporter.user.email, commenter.user.email].sort());
    for (const row of rows) {
      expect(row).toMatchObject({ kind: 'ticket_activity', status: 'QUEUED' });
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(rows.map((r) => r.recipient)).not.toContain(bystander.user.email);
    expect(rows.map((r) => r.recipient)).not.toContain(quiet.user.email);
  });

  it('plans emails for a comment to the reporter, the assignee and earlier commenters', async () => {
    const project = await makeProject();
    const reporter = await member(project);
    const assignee = await member(project);
    const commenter = await member(project);
    await fileTicket(project, reporter.cookie, { assignee: assignee.user.id });
    await send(`/p/${project.key}/t/1/comments`, { cookie: commenter.cookie, htmx: true, form: { body: 'one' } });
    await send(`/p/${project.key}/t/1/comments`, { cookie: reporter.cookie, htmx: true, form: { body: 'two' } });
    const [ticket] = await ticketsOf(project.id);
    const rows = await testDb().select().from(comments).where(eq(comments.ticketId, ticket!.id));
    const first = rows.find((r) => r.body === 'one')!;
    const second = rows.find((r) => r.body === 'two')!;
    expect((await deliveriesFor(first.id)).map((r) => r.recipient).sort()).toEqual(
      [reporter.user.email, assignee.user.email].sort(),
    );
    expect((await deliveriesFor(second.id)).map((r) => r.recipient).sort()).toEqual(
      [assignee.user.email, commenter.user.email].sort(),
    );
  });

  it('puts one message per planned email on the mail queue, naming its delivery row', async () => {
    const project = await makeProject();
    const reporter = await member(project);
    const commenter = await member(project);
    await fileTicket(project, reporter.cookie);
    const send1 = vi.spyOn(env.MAIL_QUEUE, 'send');
    const sendBatch = vi.spyOn(env.MAIL_QUEUE, 'sendBatch');
    try {
      await send(`/p/${project.key}/t/1/comments`, { cookie: commenter.cookie, htmx: true, form: { body: 'ping' } });
      await vi.waitFor(() => expect(send1.mock.calls.length + sendBatch.mock.calls.length).toBeGreaterThan(0));
      const [ticket] = await ticketsOf(project.id);
      const [comment] = await testDb().select().from(comments).where(eq(comments.ticketId, ticket!.id));
      const [delivery] = await deliveriesFor(comment!.id);
      expect(send1.mock.calls[0]?.[0]).toEqual({
        type: 'ticket_activity',
        id: comment!.id,
        kind: 'comment',
        recipientId: reporter.user.id,
        deliveryId: delivery!.id,
      });
    } finally {
      send1.mockRestore();
      sendBatch.mockRestore();
    }
  });

  it('plans nothing when the status does not really change', async () => {
    const project = await makeProject();
    const reporter = await member(project);
    const other = await member(project);
    await fileTicket(project, reporter.cookie);
    const before = (await testDb().select().from(mailDeliveries)).length;
    await send(`/p/${project.key}/t/1/status`, { cookie: other.cookie, htmx: true, form: { status: 'OPEN' } });
    expect((await testDb().select().from(mailDeliveries)).length).toBe(before);
  });

  it('skips a disabled reporter', async () => {
    const project = await makeProject();
    const reporter = await member(project);
    const other = await member(project);
    await fileTicket(project, reporter.cookie);
    await testDb().update(users).set({ disabledAt: Date.now() }).where(eq(users.id, reporter.user.id));
    await send(`/p/${project.key}/t/1/status`, { cookie: other.cookie, htmx: true, form: { status: 'DONE' } });
    const [ticket] = await ticketsOf(project.id);
    const [event] = await testDb().select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticket!.id));
    expect(await deliveriesFor(event!.id)).toEqual([]);
  });
});
