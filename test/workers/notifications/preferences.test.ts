/**
 * Per-person notification preferences: each kind (assigned, mentioned, watched changes, reminders) goes by email at
 * once, into the daily digest, or to the inbox only. The inbox row is always written; only the email follows the choice.
 */
import { eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { inboxItems, mailDeliveries, users, type Delivery } from '../../../src/db/schema';
import { makeProject, member } from '../fixtures';
import { roundTrips, send, testDb } from '../helpers';
import { fileTicket, ticketsOf } from '../tickets/fixtures';

async function userRow(id: string) {
  const [row] = await testDb().select().from(users).where(eq(users.id, id));
  return row!;
}

/** The inbox kinds and email recipients for everything on the ticket `ticketId`. */
async function outcome(ticketId: string, userId: string) {
  const rows = await testDb().select().from(inboxItems).where(eq(inboxItems.ticketId, ticketId));
  const mine = rows.filter((r) => r.userId === userId);
  const refs = mine.map((r) => r.refId);
  const mails = refs.length
    ? await testDb().select().from(mailDeliveries).where(inArray(mailDeliveries.refId, refs))
    : [];
  return { kinds: mine.map((r) => r.kind).sort(), emails: mails.length };
}

const CHOICES: readonly Delivery[] = ['email', 'digest', 'inbox'];

describe('notification preferences in the profile', () => {
  it('shows one labelled choice per kind, defaulting to email at once', async () => {
    const { cookie } = await (async () => member(await makeProject()))();
    const html = await (await send('/profile', { cookie, htmx: true })).text();
    for (const field of ['notify_assigned', 'notify_mentioned', 'notify_watched', 'notify_reminders']) {
      expect(html).toContain(`<label for="field-${field}">`);
      expect(html).toMatch(new RegExp(`<select name="${field}" id="field-${field}"`));
    }
    expect(html).toContain('<legend>Notifications</legend>');
    expect(html.match(/<option value="email" selected/g)?.length).toBe(4);
  });

  it('saves the choices with the profile, in one round trip', async () => {
    const { user, cookie } = await member(await makeProject());
    const res = await send('/profile', {
      cookie,
      htmx: true,
      form: {
        name: 'Ada',
        notify_email: 'on',
        notify_assigned: 'inbox',
        notify_mentioned: 'email',
        notify_watched: 'digest',
        notify_reminders: 'digest',
      },
    });
    expect(res.status).toBe(204);
    expect(roundTrips(res)).toBe(1);
    expect(await userRow(user.id)).toMatchObject({
      notifyAssigned: 'inbox',
      notifyMentioned: 'email',
      notifyWatched: 'digest',
      notifyReminders: 'digest',
    });
    const html = await (await send('/profile', { cookie, htmx: true })).text();
    expect(html).toMatch(/<select name="notify_watched"[^]*?<option value="digest" selected/);
  });

  it('answers 422 next to the field for an unknown choice, and saves nothing', async () => {
    const { user, cookie } = await member(await makeProject(), { name: 'Before' });
    const res = await send('/profile', {
      cookie,
      htmx: true,
      form: { name: 'After', notify_email: 'on', notify_watched: 'weekly' },
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Choose email at once, daily digest or inbox only.');
    expect(html).toMatch(/id="field-notify_watched"[^>]*aria-invalid="true"/);
    expect(await userRow(user.id)).toMatchObject({ name: 'Before', notifyWatched: 'email' });
  });
});

describe('preferences route each kind', () => {
  it.each(CHOICES)('being assigned with "%s": an inbox row always, an email only for "email"', async (choice) => {
    const project = await makeProject();
    const reporter = await member(project);
    const assignee = await member(project, { notifyAssigned: choice });
    await fileTicket(project, reporter.cookie);
    const [ticket] = await ticketsOf(project.id);
    const res = await send(`/p/${project.key}/t/1/fields`, {
      cookie: reporter.cookie,
      htmx: true,
      form: { assignee: assignee.user.id },
    });
    expect(res.status).toBe(200);
    expect(await outcome(ticket!.id, assignee.user.id)).toEqual({
      kinds: ['assigned'],
      emails: choice === 'email' ? 1 : 0,
    });
  });

  it.each(CHOICES)('being mentioned with "%s": an inbox row always, an email only for "email"', async (choice) => {
    const project = await makeProject();
    const reporter = await member(project);
    const named = await member(project, { name: 'Nia', notifyMentioned: choice, notifyWatched: 'email' });
    await fileTicket(project, reporter.cookie);
    const [ticket] = await ticketsOf(project.id);
    const body = `see @[Nia](${named.user.id})`;
    await send(`/p/${project.key}/t/1/comments`, { cookie: reporter.cookie, htmx: true, form: { body } });
    expect(await outcome(ticket!.id, named.user.id)).toEqual({
      kinds: ['mention'],
      emails: choice === 'email' ? 1 : 0,
    });
  });

  it.each(CHOICES)('a change to a watched ticket with "%s"', async (choice) => {
    const project = await makeProject();
    const reporter = await member(project, { notifyWatched: choice });
    const mover = await member(project);
    await fileTicket(project, reporter.cookie);
    const [ticket] = await ticketsOf(project.id);
    await send(`/p/${project.key}/t/1/status`, { cookie: mover.cookie, htmx: true, form: { status: 'DONE' } });
    await send(`/p/${project.key}/t/1/comments`, { cookie: mover.cookie, htmx: true, form: { body: 'done' } });
    expect(await outcome(ticket!.id, reporter.user.id)).toEqual({
      kinds: ['change', 'comment'],
      emails: choice === 'email' ? 2 : 0,
    });
  });

  it('the email switch off means inbox only for every kind', async () => {
    const project = await makeProject();
    const reporter = await member(project);
    const assignee = await member(project, { notifyEmail: false });
    await fileTicket(project, reporter.cookie);
    const [ticket] = await ticketsOf(project.id);
    await send(`/p/${project.key}/t/1/fields`, {
      cookie: reporter.cookie,
      htmx: true,
      form: { assignee: assignee.user.id },
    });
    expect(await outcome(ticket!.id, assignee.user.id)).toEqual({ kinds: ['assigned'], emails: 0 });
  });
});
