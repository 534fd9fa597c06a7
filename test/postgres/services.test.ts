/**
 * Every exported operation of the feature services (src/<feature>/service.ts, and the reset links in src/auth) on PostgreSQL, with what it wrote.
 * The services are called through a recorder, and the last test fails when an export was never called here: a new
 * operation is not on PostgreSQL until it is exercised below. (The Worker suite runs the routes over them on
 * PostgreSQL too, in the workers-pg project; this file is the complete, fast list.)
 */
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as accountsService from '../../src/accounts/service';
import {
  createSession,
  currentUserId,
  generateSession,
  parseSessionToken,
  toSessionCheck,
} from '../../src/auth/sessions';
import { hashPassword, scryptParams } from '../../src/auth/passwords';
import type { Db } from '../../src/db/database';
import { runPlan } from '../../src/db/plan';
import {
  comments,
  inboxItems,
  invitations,
  mailDeliveries,
  passwordResets,
  projectMembers,
  projects,
  sessions,
  signInThrottles,
  tickets,
  users,
  type Role,
} from '../../src/db/schema';
import * as passwordResetsService from '../../src/auth/password-resets';
import * as inboxService from '../../src/inbox/service';
import * as invitationsService from '../../src/invitations/service';
import { passwordResetToken } from '../../src/lib/links';
import * as projectsService from '../../src/projects/service';
import * as ticketsService from '../../src/tickets/service';
import { sendDueReminders } from '../../src/tickets/reminders';
import { sendDigests } from '../../src/notifications/digest';
import { inboxSummary, selectInboxItems } from '../../src/notifications/items';
import { listTickets } from '../../src/tickets/queries';
import { listQuerySchema } from '../../src/tickets/schemas';
import type { Env } from '../../src/env';
import { usePostgresDb } from './helpers';

const MODULES = {
  accounts: accountsService,
  inbox: inboxService,
  invitations: invitationsService,
  passwordResets: passwordResetsService,
  projects: projectsService,
  tickets: ticketsService,
} as const;

const called = new Set<string>();

/** The module with each exported function recording its call. */
function recorded<M extends object>(feature: string, module: M): M {
  const entries = Object.entries(module).map(([name, value]) => [
    name,
    typeof value === 'function'
      ? (...args: unknown[]) => {
          called.add(`${feature}.${name}`);
          return (value as (...a: unknown[]) => unknown)(...args);
        }
      : value,
  ]);
  return Object.fromEntries(entries) as M;
}

const accounts = recorded('accounts', accountsService);
const invites = recorded('invitations', invitationsService);
const resets = recorded('passwordResets', passwordResetsService);
const projectOps = recorded('projects', projectsService);
const ticketOps = recorded('tickets', ticketsService);
const inboxOps = recorded('inbox', inboxService);

const SECRET = 'services-test-secret-0123456789abcdef';
const PASSWORD = 'correct horse battery staple';
const CHEAP = scryptParams(10);
const DAY = 24 * 60 * 60 * 1000;

async function person(db: Db, role: Role, passwordHash = 'x') {
  const id = crypto.randomUUID();
  const email = `${id.slice(0, 8)}@example.com`;
  const now = Date.now();
  await db.insert(users).values({ id, email, name: `P ${id.slice(0, 4)}`, role, passwordHash, createdAt: now });
  const created = generateSession(id, now);
  await createSession(db, created.session);
  const token = parseSessionToken(created.token)!;
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return { id, email, user: row!, sessionId: token.id, me: currentUserId(toSessionCheck(token, now)) };
}

describe('the first manager on an empty PostgreSQL database', () => {
  const { db } = usePostgresDb();

  it('invites the bootstrap address once, and nobody once a user exists', async () => {
    const input = { email: 'first@example.com', now: Date.now(), ttlMs: DAY, secret: SECRET };
    expect((await invites.ensureBootstrapInvitation(db, input)).outcome).toBe('created');
    expect((await invites.ensureBootstrapInvitation(db, input)).outcome).toBe('pending');
    await person(db, 'MEMBER');
    expect((await invites.ensureBootstrapInvitation(db, input)).outcome).toBe('users_exist');
    expect(await db.select().from(invitations)).toHaveLength(1);
  });
});

describe('feature services on PostgreSQL', () => {
  const { db } = usePostgresDb();

  it('signs in (counting failures in the lockout upsert), signs out, and changes the profile', async () => {
    const hash = await hashPassword(PASSWORD, CHEAP);
    const p = await person(db, 'MEMBER', hash);
    const attempt = (password: string) =>
      accounts.signIn(db, { email: p.email, password, now: Date.now(), device: null, hashing: CHEAP });
    expect(await attempt('wrong password 1')).toEqual({ ok: false, reason: 'invalid' });
    expect(await attempt('wrong password 2')).toEqual({ ok: false, reason: 'invalid' });
    const [throttle] = await db
      .select()
      .from(signInThrottles)
      .where(eq(signInThrottles.key, `account:${p.email}`));
    expect(throttle!.failures).toBe(2);

    const ok = await attempt(PASSWORD);
    if (!ok.ok) throw new Error('sign-in refused');
    expect(
      await db
        .select()
        .from(signInThrottles)
        .where(eq(signInThrottles.key, `account:${p.email}`)),
    ).toEqual([]);
    const token = parseSessionToken(ok.token)!;
    expect(await db.select().from(sessions).where(eq(sessions.id, token.id))).toHaveLength(1);
    await runPlan(db, accounts.signOut(token));
    expect(await db.select().from(sessions).where(eq(sessions.id, token.id))).toEqual([]);

    await runPlan(db, accounts.updateProfile({ name: 'Renamed', notifyEmail: false, notifyWatched: 'digest' }), p.me);
    const [row] = await db.select().from(users).where(eq(users.id, p.id));
    expect(row).toMatchObject({
      name: 'Renamed',
      notifyEmail: false,
      notifyWatched: 'digest',
      notifyAssigned: 'email',
    });
  });

  it('opens, finds and uses a password reset, then changes the password, ending the other sessions', async () => {
    const p = await person(db, 'MEMBER', await hashPassword(PASSWORD, CHEAP));
    const now = Date.now();
    const resetId = crypto.randomUUID();
    const deliveryId = crypto.randomUUID();
    const opened = await resets.openPasswordReset(db, {
      email: p.email,
      resetId,
      deliveryId,
      tokenSecret: SECRET,
      now,
    });
    expect(opened).toBe(true);
    expect(await db.select().from(mailDeliveries).where(eq(mailDeliveries.id, deliveryId))).toHaveLength(1);
    const token = await passwordResetToken(SECRET, { id: resetId, createdAt: now });
    const reset = await runPlan(db, resets.findPasswordReset(token, now + 1));
    expect(reset).toEqual({ id: resetId, userId: p.id, email: p.email });
    expect(await accounts.resetPassword(db, reset!, 'a brand new passphrase', now + 2, CHEAP)).toEqual({ ok: true });
    const [used] = await db.select().from(passwordResets).where(eq(passwordResets.id, resetId));
    expect(used!.usedAt).toBe(now + 2);
    expect(await db.select().from(sessions).where(eq(sessions.userId, p.id))).toEqual([]);

    const again = await person(db, 'MEMBER', await hashPassword('a brand new passphrase', CHEAP));
    const other = generateSession(again.id, now);
    await createSession(db, other.session);
    const change = (current: string) =>
      accounts.changePassword(db, {
        user: again.user,
        sessionId: again.sessionId,
        current,
        next: 'another long passphrase',
        throttle: { key: `account:${again.email}`, locked: false },
        now: Date.now(),
        hashing: CHEAP,
      });
    expect((await change('not the password')).ok).toBe(false);
    expect(await change('a brand new passphrase')).toEqual({ ok: true });
    const left = await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, again.id));
    expect(left).toEqual([{ id: again.sessionId }]);
  });

  it('invites, resends and revokes an invitation, and makes its link', async () => {
    const manager = await person(db, 'MANAGER');
    const email = `${crypto.randomUUID().slice(0, 8)}@example.com`;
    const base = { role: 'MEMBER' as const, projectId: null, senderId: manager.id, ttlMs: DAY, secret: SECRET };
    const invited = await invites.inviteByEmail(db, { ...base, emails: [email], now: Date.now() });
    expect(invited.ok).toBe(true);
    const [row] = await db.select().from(invitations).where(eq(invitations.email, email));
    expect(await invites.invitationLink(SECRET, 'http://x.test', row!)).toMatch(/^http:\/\/x\.test\/join\/[\w-]+\/$/);

    const resent = await invites.resendInvitation(db, {
      invitation: row!,
      now: Date.now() + 1000,
      ttlMs: DAY,
      secret: SECRET,
    });
    expect(resent.row!.expiresAt).toBeGreaterThan(row!.expiresAt);
    expect(resent.messages).toHaveLength(1);
    const revoked = await runPlan(db, invites.revokeInvitation(row!.id, Date.now()));
    expect(revoked!.revokedAt).not.toBeNull();
  });

  it('creates, lists, edits, archives, staffs and deletes a project', async () => {
    const manager = await person(db, 'MANAGER');
    const member = await person(db, 'MEMBER');
    const id = crypto.randomUUID();
    const input = { name: 'Postgres', key: 'PGSV', description: 'on PostgreSQL' };
    const created = await runPlan(
      db,
      projectOps.createProject(input, { id, now: Date.now(), formKey: crypto.randomUUID() }),
      manager.me,
    );
    expect(created).toMatchObject({ ok: true, key: 'PGSV' });
    const listed = await runPlan(db, projectOps.listProjects(), manager.me);
    expect(listed.mine.map((p) => p.key)).toContain('PGSV');
    expect(projectOps.ticketTotal(listed.mine.find((p) => p.key === 'PGSV')!)).toBe(0);

    await runPlan(db, projectOps.updateProject('PGSV', { name: 'Renamed', description: 'x' }), manager.me);
    await runPlan(db, projectOps.setProjectArchived('PGSV', true, Date.now()), manager.me);
    const [archived] = await db.select().from(projects).where(eq(projects.id, id));
    expect(archived).toMatchObject({ name: 'Renamed', description: 'x' });
    expect(archived!.archivedAt).not.toBeNull();
    await runPlan(db, projectOps.setProjectArchived('PGSV', false, Date.now()), manager.me);

    const added = await runPlan(
      db,
      projectOps.addMember('PGSV', member.id, { deliveryId: crypto.randomUUID(), now: Date.now() }),
      manager.me,
    );
    expect(added.added).toBe(true);
    const view = await runPlan(db, projectOps.listMembers('PGSV'), manager.me);
    expect(view.members.map((m) => m.userId).sort()).toEqual([manager.id, member.id].sort());
    await runPlan(db, projectOps.removeMember('PGSV', member.id), manager.me);
    const left = await db.select().from(projectMembers).where(eq(projectMembers.projectId, id));
    expect(left.map((m) => m.userId)).toEqual([manager.id]);

    await runPlan(db, projectOps.deleteProject('PGSV'), manager.me);
    expect(await db.select().from(projects).where(eq(projects.id, id))).toEqual([]);
  });

  it('creates, edits, moves, comments on and deletes a ticket', async () => {
    const manager = await person(db, 'MANAGER');
    await runPlan(
      db,
      projectOps.createProject(
        { name: 'Tickets', key: 'PGTK', description: '' },
        { id: crypto.randomUUID(), now: Date.now(), formKey: crypto.randomUUID() },
      ),
      manager.me,
    );
    const fields = {
      title: 'On PostgreSQL',
      description: 'x',
      status: 'OPEN',
      priority: 'HIGH',
      assignee: null,
    } as const;
    const created = await runPlan(db, ticketOps.createTicket('PGTK', fields, Date.now()), manager.me);
    if (!created.ok) throw new Error('ticket not created');
    const edit = { ...fields, title: 'Edited', assignee: manager.id };
    expect((await runPlan(db, ticketOps.updateTicket('PGTK', created.number, edit, Date.now()), manager.me)).ok).toBe(
      true,
    );
    // A member's save that changes three fields: the manager (reporter, assignee, watcher) gets one notice naming all.
    const colleague = await person(db, 'MEMBER');
    await runPlan(
      db,
      projectOps.addMember('PGTK', colleague.id, { deliveryId: crypto.randomUUID(), now: Date.now() }),
      manager.me,
    );
    const save = { ...edit, title: 'Edited twice', status: 'REVIEW', priority: 'LOW' } as const;
    const saved = await runPlan(db, ticketOps.updateTicket('PGTK', created.number, save, Date.now()), colleague.me);
    expect(saved.ok && saved.messages).toHaveLength(1);
    const notices = await selectInboxItems(
      db,
      and(eq(inboxItems.userId, manager.id), eq(inboxItems.ticketId, created.id))!,
      10,
    );
    expect(notices.map((n) => inboxSummary(n))).toEqual([
      `${colleague.user.name} changed the status from Open to Review, and also the priority and the title`,
    ]);
    const moved = await runPlan(
      db,
      ticketOps.changeTicketStatus('PGTK', created.number, 'DONE', Date.now()),
      manager.me,
    );
    expect(moved.ok).toBe(true);
    const inPlace = await runPlan(
      db,
      ticketOps.updateTicketFields('PGTK', created.number, { priority: 'LOW' }, { now: Date.now() }),
      manager.me,
    );
    expect(inPlace.ok).toBe(true);
    const stale = await runPlan(
      db,
      ticketOps.updateTicketFields('PGTK', created.number, { priority: 'HIGH' }, { now: Date.now(), version: 1 }),
      manager.me,
    );
    expect(stale).toMatchObject({ ok: false, reason: 'conflict' });
    // Due dates: set in place on a second ticket, then the daily reminders plan and queue one email for it, once.
    const dated = await runPlan(
      db,
      ticketOps.createTicket('PGTK', { ...fields, assignee: manager.id }, Date.now()),
      manager.me,
    );
    if (!dated.ok) throw new Error('ticket not created');
    const due = await runPlan(
      db,
      ticketOps.updateTicketFields('PGTK', dated.number, { dueDate: '2026-11-20' }, { now: Date.now() }),
      manager.me,
    );
    expect(due.ok).toBe(true);
    const queued: unknown[] = [];
    const queue = {
      send: async (body: unknown) => void queued.push(body),
      sendBatch: async (items: { body: unknown }[]) => void queued.push(...items.map((i) => i.body)),
    };
    const reminderEnv = { MAIL_QUEUE: queue } as unknown as Env;
    const at = Date.UTC(2026, 10, 29, 3, 17);
    expect(await sendDueReminders({ db, env: reminderEnv, now: at })).toMatchObject({ sent: 1 });
    expect(await sendDueReminders({ db, env: reminderEnv, now: at })).toMatchObject({ sent: 0 });
    expect(queued).toMatchObject([{ type: 'due_reminder', id: dated.id, day: '2026-11-29', recipientId: manager.id }]);
    // Reminders set to the digest: the next day's reminder is an inbox row, and the digest lists it, once.
    await db.update(users).set({ notifyReminders: 'digest' }).where(eq(users.id, manager.id));
    const nextDay = at + 86_400_000;
    expect(await sendDueReminders({ db, env: reminderEnv, now: nextDay })).toMatchObject({ sent: 0 });
    const reminderRows = await db.select().from(inboxItems).where(eq(inboxItems.ticketId, dated.id));
    expect(reminderRows.filter((r) => r.kind === 'reminder').map((r) => r.userId)).toEqual([manager.id]);
    expect(await sendDigests({ db, env: reminderEnv, now: nextDay })).toMatchObject({ sent: 1 });
    expect(await sendDigests({ db, env: reminderEnv, now: nextDay + 60_000 })).toMatchObject({ sent: 0 });
    expect(queued.at(-1)).toMatchObject({ type: 'digest', id: manager.id, since: 0, until: nextDay });
    const page = await runPlan(
      db,
      listTickets('PGTK', listQuerySchema.parse({ sort: 'due', due: 'overdue' }), at),
      manager.me,
    );
    expect(page.ok && page.page.rows.map((r) => r.id)).toEqual([dated.id]);
    const commented = await runPlan(
      db,
      ticketOps.addComment('PGTK', created.number, { body: 'Done.' }, Date.now()),
      manager.me,
    );
    expect(commented.ok).toBe(true);
    for (const on of [true, true, false, false]) {
      const watched = await runPlan(db, ticketOps.setWatching('PGTK', created.number, on, Date.now()), manager.me);
      expect(watched).toEqual({ ok: true, watching: on });
    }
    expect(await runPlan(db, inboxOps.openInboxItem(crypto.randomUUID(), Date.now()), manager.me)).toBeNull();
    await runPlan(db, inboxOps.markAllRead(Date.now()), manager.me);
    const [row] = await db.select().from(tickets).where(eq(tickets.id, created.id));
    expect(row).toMatchObject({ title: 'Edited twice', status: 'DONE', priority: 'LOW', assigneeId: manager.id });
    expect(await db.select().from(comments).where(eq(comments.ticketId, created.id))).toHaveLength(1);

    expect((await runPlan(db, ticketOps.deleteTicket('PGTK', created.number), manager.me)).ok).toBe(true);
    expect(
      await db
        .select()
        .from(tickets)
        .where(and(eq(tickets.id, created.id))),
    ).toEqual([]);
  });

  it('has called every exported operation of every feature service (this file is the list)', () => {
    const exported = Object.entries(MODULES).flatMap(([feature, module]) =>
      Object.entries(module)
        .filter(([, value]) => typeof value === 'function')
        .map(([name]) => `${feature}.${name}`),
    );
    expect(exported.length).toBeGreaterThan(20);
    expect(exported.filter((name) => !called.has(name))).toEqual([]);
  });
});
