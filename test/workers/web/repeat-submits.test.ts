import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { comments, formSubmissions, mailDeliveries, projects, tickets } from '../../../src/db/schema';
import { freshIp, invitationsFor } from '../invitations/helpers';
import { makeProject, member, uniqueKey } from '../fixtures';
import { roundTrips, send, signedIn, testDb } from '../helpers';
import { counters, readProject, ticketsOf } from '../tickets/fixtures';

const formKeyIn = (html: string) => /name="form_key" value="([0-9a-f-]{36})"/.exec(html)?.[1];

describe('a create form submitted twice creates once', () => {
  it('renders a fresh key in every new-ticket form', async () => {
    const project = await makeProject();
    const { cookie } = await member(project);
    const first = formKeyIn(await (await send(`/p/${project.key}/t/new`, { cookie, htmx: true })).text());
    const second = formKeyIn(await (await send(`/p/${project.key}/t/new`, { cookie, htmx: true })).text());
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    expect(first).not.toBe(second);
  });

  it('answers a repeated ticket form with the same success and makes one ticket', async () => {
    const project = await makeProject();
    const { cookie } = await member(project);
    const form = { title: 'Only once', status: 'OPEN', priority: 'MEDIUM', form_key: crypto.randomUUID() };
    const first = await send(`/p/${project.key}/t`, { cookie, htmx: true, form });
    const second = await send(`/p/${project.key}/t`, { cookie, htmx: true, form });
    expect(first.status).toBe(204);
    expect(second.status).toBe(204);
    expect(second.headers.get('HX-Trigger')).toBe(first.headers.get('HX-Trigger'));
    expect(roundTrips(second)).toBe(1);
    expect((await ticketsOf(project.id)).map((t) => t.title)).toEqual(['Only once']);
    const p = await readProject(project.id);
    expect(p.nextTicketNumber).toBe(2);
    expect(counters(p).open).toBe(1);
    // Without JavaScript the repeat is sent to the same ticket.
    const plain = await send(`/p/${project.key}/t`, { cookie, form });
    expect(plain.headers.get('Location')).toBe(`/p/${project.key}/t/1`);
  });

  it('creates again from a new form, and keys are per person', async () => {
    const project = await makeProject();
    const alice = await member(project);
    const bob = await member(project);
    const key = crypto.randomUUID();
    const form = { title: 'Same key', form_key: key };
    await send(`/p/${project.key}/t`, { cookie: alice.cookie, htmx: true, form });
    await send(`/p/${project.key}/t`, { cookie: bob.cookie, htmx: true, form });
    await send(`/p/${project.key}/t`, { cookie: alice.cookie, htmx: true, form: { title: 'New form' } });
    expect((await ticketsOf(project.id)).map((t) => [t.number, t.title])).toEqual([
      [1, 'Same key'],
      [2, 'Same key'],
      [3, 'New form'],
    ]);
  });

  it('leaves the key free when the create is refused, so the corrected form still creates', async () => {
    const project = await makeProject();
    const { cookie } = await member(project);
    const form_key = crypto.randomUUID();
    const outsider = crypto.randomUUID();
    const refused = await send(`/p/${project.key}/t`, {
      cookie,
      htmx: true,
      form: { title: 'Fix me', assignee: outsider, form_key },
    });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain(`value="${form_key}"`);
    const rows = await testDb().select().from(formSubmissions).where(eq(formSubmissions.key, form_key));
    expect(rows).toEqual([]);
    const fixed = await send(`/p/${project.key}/t`, { cookie, htmx: true, form: { title: 'Fix me', form_key } });
    expect(fixed.status).toBe(204);
    expect((await ticketsOf(project.id)).length).toBe(1);
  });

  it('posts a repeated comment once and answers with the same comments', async () => {
    const project = await makeProject();
    const { cookie } = await member(project);
    await send(`/p/${project.key}/t`, { cookie, htmx: true, form: { title: 'Talk' } });
    const form = { body: 'Said once', form_key: crypto.randomUUID() };
    const first = await send(`/p/${project.key}/t/1/comments`, { cookie, htmx: true, form });
    const second = await send(`/p/${project.key}/t/1/comments`, { cookie, htmx: true, form });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(await second.text()).toContain('Said once');
    const [ticket] = await testDb().select().from(tickets).where(eq(tickets.projectId, project.id));
    const rows = await testDb().select().from(comments).where(eq(comments.ticketId, ticket!.id));
    expect(rows.map((r) => r.body)).toEqual(['Said once']);
    // The answer carries a new form, with a new key.
    expect(formKeyIn(await first.clone().text())).not.toBe(form.form_key);
  });
});

describe('a repeated new-project form', () => {
  it('creates the project once and answers both submits alike', async () => {
    const manager = await signedIn({ role: 'MANAGER' });
    const key = uniqueKey();
    const form = { name: 'Twice', key, description: '', form_key: crypto.randomUUID() };
    const first = await send('/projects', { cookie: manager.cookie, htmx: true, form });
    const second = await send('/projects', { cookie: manager.cookie, htmx: true, form });
    expect(first.status).toBe(204);
    expect(second.status).toBe(204);
    expect(roundTrips(second)).toBe(1);
    expect(await testDb().select().from(projects).where(eq(projects.key, key))).toHaveLength(1);
  });

  it('still creates after the key was taken and the form corrected', async () => {
    const manager = await signedIn({ role: 'MANAGER' });
    const taken = await makeProject();
    const form_key = crypto.randomUUID();
    const refused = await send('/projects', {
      cookie: manager.cookie,
      htmx: true,
      form: { name: 'Clash', key: taken.key, form_key },
    });
    expect(refused.status).toBe(422);
    const key = uniqueKey();
    const fixed = await send('/projects', {
      cookie: manager.cookie,
      htmx: true,
      form: { name: 'Clash', key, form_key },
    });
    expect(fixed.status).toBe(204);
    expect(await testDb().select().from(projects).where(eq(projects.key, key))).toHaveLength(1);
  });
});

describe('a repeated invitation form', () => {
  it('invites once, sends one email, and answers the repeat alike', async () => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const email = `twice-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const form = { emails: email, role: 'MEMBER', form_key: crypto.randomUUID() };
    const first = await send('/invitations', { cookie, htmx: true, form, headers: freshIp() });
    const second = await send('/invitations', { cookie, htmx: true, form, headers: freshIp() });
    expect(first.status).toBe(204);
    expect(second.status).toBe(204);
    expect(await invitationsFor(email)).toHaveLength(1);
    expect(await testDb().select().from(mailDeliveries).where(eq(mailDeliveries.recipient, email))).toHaveLength(1);
  });
});
