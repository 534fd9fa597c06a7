import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { inboxItems, mailDeliveries, projectMembers, tickets, ticketWatchers } from '../../../src/db/schema';
import { makeProject, member } from '../fixtures';
import { roundTrips, send, testDb } from '../helpers';
import { fileTicket, ticketsOf } from '../tickets/fixtures';

type Person = Awaited<ReturnType<typeof member>>;

async function ticketId(projectId: string): Promise<string> {
  return (await ticketsOf(projectId))[0]!.id;
}

/** Who got an inbox row for the ticket, sorted, with the kind: `[userId, kind][]`. */
async function told(id: string) {
  const rows = await testDb().select().from(inboxItems).where(eq(inboxItems.ticketId, id));
  return rows.map((r) => [r.userId, r.kind] as const).sort();
}

async function emailed(id: string) {
  const rows = await testDb().select().from(inboxItems).where(eq(inboxItems.ticketId, id));
  const mails = await testDb().select().from(mailDeliveries);
  return mails
    .filter((m) => rows.some((r) => r.refId === m.refId))
    .map((m) => m.recipient)
    .sort();
}

async function setup() {
  const project = await makeProject();
  const reporter = await member(project, { name: 'Rita' });
  const assignee = await member(project, { name: 'Abe' });
  const mover = await member(project, { name: 'Mo' });
  const bystander = await member(project, { name: 'Bea' });
  await fileTicket(project, reporter.cookie, { assignee: assignee.user.id });
  return { project, reporter, assignee, mover, bystander, id: await ticketId(project.id) };
}

function pairs(people: Person[], kind: string) {
  return people.map((p) => [p.user.id, kind] as const).sort();
}

describe('who hears about a change', () => {
  it.each([
    [
      'the edit form',
      (key: string) =>
        [`/p/${key}/t/1`, { title: 'A ticket', description: '', status: 'DONE', priority: 'MEDIUM' }] as const,
    ],
    ['the board', (key: string) => [`/p/${key}/t/1/status`, { status: 'DONE' }] as const],
    ['in place', (key: string) => [`/p/${key}/t/1/fields`, { status: 'DONE' }] as const],
  ])('a status change from %s tells the watchers once, not the actor, in one round trip', async (_from, route) => {
    const { project, reporter, assignee, mover, bystander, id } = await setup();
    const [path, form] = route(project.key);
    const extra: Record<string, string> = path.endsWith('/1') ? { assignee: assignee.user.id } : {};
    const res = await send(path, {
      cookie: mover.cookie,
      htmx: true,
      form: { ...(form as Record<string, string>), ...extra },
    });
    expect(res.status).toBeLessThan(300);
    expect(roundTrips(res)).toBe(1);
    // The assignee heard "assigned" when the ticket was filed; the status change adds one row each.
    const rows = (await told(id)).filter(([, kind]) => kind === 'change');
    expect(rows).toEqual(pairs([reporter, assignee], 'change'));
    expect(rows.map(([u]) => u)).not.toContain(bystander.user.id);
    expect(rows.map(([u]) => u)).not.toContain(mover.user.id);
    expect((await emailed(id)).filter((e) => e !== assignee.user.email || true)).toContain(reporter.user.email);
  });

  it('a save of the edit form that changes four fields is one notice per person, naming every change', async () => {
    const { project, reporter, assignee, mover, bystander, id } = await setup();
    const before = await testDb().select().from(inboxItems).where(eq(inboxItems.ticketId, id));
    const res = await send(`/p/${project.key}/t/1`, {
      cookie: mover.cookie,
      htmx: true,
      form: {
        title: 'A ticket, renamed',
        description: '',
        status: 'DONE',
        priority: 'HIGH',
        assignee: bystander.user.id,
      },
    });
    expect(res.status).toBeLessThan(300);
    expect(roundTrips(res)).toBe(1);
    const rows = (await testDb().select().from(inboxItems).where(eq(inboxItems.ticketId, id))).filter(
      (r) => !before.some((b) => b.id === r.id),
    );
    // One row each: the watcher hears of a change, the old assignee of being unassigned, the new one of being assigned.
    expect(rows.map((r) => [r.userId, r.kind]).sort()).toEqual(
      [
        [reporter.user.id, 'change'],
        [assignee.user.id, 'unassigned'],
        [bystander.user.id, 'assigned'],
      ].sort(),
    );
    // And one email each, from those rows.
    const mails = await testDb().select().from(mailDeliveries);
    const sent = mails.filter((m) => rows.some((r) => r.refId === m.refId)).map((m) => m.recipient);
    expect(sent.sort()).toEqual([reporter.user.email, assignee.user.email, bystander.user.email].sort());
    // The inbox item leads with what concerns the person and names the save's other changes.
    const inbox = async (cookie: string) => (await (await send('/inbox', { cookie })).text()).replace(/\s+/g, ' ');
    expect(await inbox(reporter.cookie)).toContain(
      'Mo changed the status from Open to Done, and also the priority, the assignee and the title',
    );
    expect(await inbox(bystander.cookie)).toContain(
      'Mo assigned it to you, and changed the status, the priority and the title',
    );
  });

  it('tells nobody about their own change', async () => {
    const { project, reporter, id } = await setup();
    await testDb().delete(inboxItems).where(eq(inboxItems.ticketId, id));
    await testDb()
      .delete(ticketWatchers)
      .where(and(eq(ticketWatchers.ticketId, id)));
    await send(`/p/${project.key}/t/1/status`, { cookie: reporter.cookie, htmx: true, form: { status: 'REVIEW' } });
    expect(await told(id)).toEqual([]);
  });

  it('tells the assignee when assigned and when unassigned', async () => {
    const { project, reporter, assignee, mover, id } = await setup();
    expect(await told(id)).toEqual(pairs([assignee], 'assigned'));
    await send(`/p/${project.key}/t/1/fields`, {
      cookie: reporter.cookie,
      htmx: true,
      form: { assignee: mover.user.id },
    });
    const rows = await told(id);
    expect(rows).toContainEqual([assignee.user.id, 'unassigned']);
    expect(rows).toContainEqual([mover.user.id, 'assigned']);
    // The new assignee watches from now on.
    const watching = await testDb().select().from(ticketWatchers).where(eq(ticketWatchers.ticketId, id));
    expect(watching.map((w) => w.userId)).toContain(mover.user.id);
  });

  it('a mention in a comment tells a member who does not watch, and makes them watch', async () => {
    const { project, assignee, bystander, id } = await setup();
    const body = `ping @[Bea](${bystander.user.id}) please`;
    const res = await send(`/p/${project.key}/t/1/comments`, { cookie: assignee.cookie, htmx: true, form: { body } });
    expect(res.status).toBe(200);
    expect(roundTrips(res)).toBe(1);
    const html = await res.text();
    expect(html).toContain(`<span class="mention" data-user="${bystander.user.id}">@Bea</span>`);
    expect(await told(id)).toContainEqual([bystander.user.id, 'mention']);
    expect(await emailed(id)).toContain(bystander.user.email);
    const watching = await testDb().select().from(ticketWatchers).where(eq(ticketWatchers.ticketId, id));
    expect(watching.map((w) => w.userId)).toEqual(expect.arrayContaining([bystander.user.id, assignee.user.id]));
  });

  it('refuses a mention of someone who left the project with 422 next to the field, and saves nothing', async () => {
    const { project, reporter, bystander, id } = await setup();
    await testDb()
      .delete(projectMembers)
      .where(and(eq(projectMembers.projectId, project.id), eq(projectMembers.userId, bystander.user.id)));
    const body = `ping @[Bea](${bystander.user.id})`;
    const res = await send(`/p/${project.key}/t/1/comments`, { cookie: reporter.cookie, htmx: true, form: { body } });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('not a member of the project');
    const edit = await send(`/p/${project.key}/t/1`, {
      cookie: reporter.cookie,
      htmx: true,
      form: { title: 'A ticket', description: body, status: 'OPEN', priority: 'MEDIUM', assignee: '' },
    });
    expect(edit.status).toBe(422);
    expect(await edit.text()).toContain('not a member of the project');
    const [ticket] = await testDb().select().from(tickets).where(eq(tickets.id, id));
    expect(ticket!.description).toBe('');
    // Plain "@Bea" is just text.
    const plain = await send(`/p/${project.key}/t/1/comments`, {
      cookie: reporter.cookie,
      htmx: true,
      form: { body: 'ask @Bea' },
    });
    expect(plain.status).toBe(200);
  });

  it('a member removed from the project hears nothing more', async () => {
    const { project, reporter, assignee, mover, id } = await setup();
    await testDb()
      .delete(projectMembers)
      .where(and(eq(projectMembers.projectId, project.id), eq(projectMembers.userId, assignee.user.id)));
    await send(`/p/${project.key}/t/1/status`, { cookie: mover.cookie, htmx: true, form: { status: 'DONE' } });
    const rows = (await told(id)).filter(([, kind]) => kind === 'change');
    expect(rows).toEqual(pairs([reporter], 'change'));
    expect(await emailed(id)).not.toContain(assignee.user.email);
  });

  it('watch and unwatch from the ticket, twice is fine, and the watcher hears', async () => {
    const { project, mover, bystander, id } = await setup();
    for (const _ of [1, 2]) {
      const res = await send(`/p/${project.key}/t/1/watch`, {
        cookie: bystander.cookie,
        htmx: true,
        form: { watch: 'on' },
      });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('Watching');
    }
    await send(`/p/${project.key}/t/1/status`, { cookie: mover.cookie, htmx: true, form: { status: 'DONE' } });
    expect(await told(id)).toContainEqual([bystander.user.id, 'change']);
    for (const _ of [1, 2]) {
      const res = await send(`/p/${project.key}/t/1/watch`, { cookie: bystander.cookie, form: { watch: 'off' } });
      expect(res.status).toBe(303);
    }
    const watching = await testDb().select().from(ticketWatchers).where(eq(ticketWatchers.ticketId, id));
    expect(watching.map((w) => w.userId)).not.toContain(bystander.user.id);
    const stranger = await member(await makeProject());
    const res = await send(`/p/${project.key}/t/1/watch`, {
      cookie: stranger.cookie,
      htmx: true,
      form: { watch: 'on' },
    });
    expect(res.status).toBe(404);
  });
});
