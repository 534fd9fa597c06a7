/**
 * Due dates: set in the form and in place (cleared too), refused when not a real day in range (422, nothing saved),
 * recorded in the activity, shown with their state, sorted (undated last) and filtered, each in one round trip.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ticketEvents } from '../../../src/db/schema';
import { utcDay, addDays } from '../../../src/lib/due-dates';
import { makeProject, member } from '../fixtures';
import { roundTrips, send } from '../helpers';
import { fileTicket, ticketsOf } from './fixtures';

const today = utcDay(Date.now());

async function setup() {
  const project = await makeProject();
  const me = await member(project, { name: 'Me' });
  return { project, key: project.key, me };
}

function titles(html: string): string[] {
  return [...html.matchAll(/hx-get="\/p\/[A-Z]+\/t\/\d+">([^<]*)<\/a>/g)].map((m) => m[1]!);
}

describe('due dates', () => {
  it('sets a due date in the create form, changes and clears it in the edit form, recording each change', async () => {
    const { project, key, me } = await setup();
    await fileTicket(project, me.cookie, { title: 'Dated', due_date: '2026-12-24' });
    expect((await ticketsOf(project.id))[0]).toMatchObject({ dueDate: '2026-12-24', dueRank: 20261224 });
    const edit = await send(`/p/${key}/t/1/edit`, { cookie: me.cookie, htmx: true });
    expect(await edit.text()).toMatch(/<input type="date" name="due_date" id="field-due_date" value="2026-12-24"/);

    const form = { title: 'Dated', description: '', status: 'OPEN', priority: 'MEDIUM', assignee: '' };
    let res = await send(`/p/${key}/t/1`, { cookie: me.cookie, htmx: true, form: { ...form, due_date: '2027-01-02' } });
    expect(res.status).toBe(204);
    res = await send(`/p/${key}/t/1`, { cookie: me.cookie, htmx: true, form: { ...form, due_date: '' } });
    expect(res.status).toBe(204);
    const [row] = await ticketsOf(project.id);
    expect(row).toMatchObject({ dueDate: null, dueRank: 99999999 });
    const events = await send(`/p/${key}/t/1`, { cookie: me.cookie, htmx: true });
    const html = await events.text();
    expect(html).toContain('changed the due date from “2026-12-24” to “2027-01-02”');
    expect(html).toContain('changed the due date from “2027-01-02” to “none”');
  });

  it.each([
    ['not a date', 'next friday', 'Enter a date like 2026-03-31, or leave it empty.'],
    ['an impossible day', '2026-02-30', 'That day does not exist in the calendar.'],
    ['a month 13', '2026-13-01', 'That day does not exist in the calendar.'],
    ['a date far in the past', '1999-12-31', 'Choose a date from 2000-01-01 on.'],
    ['a date after year 9999', '10000-01-01', 'Choose a date up to 9999-12-31.'],
  ])('refuses %s with 422 next to the field, in the form and in place, saving nothing', async (_, value, message) => {
    const { project, key, me } = await setup();
    const create = await send(`/p/${key}/t`, {
      cookie: me.cookie,
      htmx: true,
      form: { title: 'Bad date', status: 'OPEN', priority: 'MEDIUM', due_date: value },
    });
    expect(create.status).toBe(422);
    const html = await create.text();
    expect(html).toContain(message);
    expect(html).toMatch(/id="field-due_date"[^>]*aria-invalid="true"/);
    expect(await ticketsOf(project.id)).toEqual([]);

    await fileTicket(project, me.cookie, { title: 'Good', due_date: '2026-06-01' });
    const [before] = await ticketsOf(project.id);
    for (const path of ['fields', 'row']) {
      const res = await send(`/p/${key}/t/1/${path}`, { cookie: me.cookie, htmx: true, form: { due_date: value } });
      expect(res.status).toBe(422);
      expect(await res.text()).toContain(message);
    }
    expect((await ticketsOf(project.id))[0]).toEqual(before);
  });

  it('changes and clears a due date in place, with the version check, in one round trip', async () => {
    const { project, key, me } = await setup();
    await fileTicket(project, me.cookie, { title: 'In place' });
    const [t] = await ticketsOf(project.id);
    let res = await send(`/p/${key}/t/1/fields`, {
      cookie: me.cookie,
      htmx: true,
      form: { due_date: '2026-05-05', version: String(t!.version) },
    });
    expect(res.status).toBe(200);
    expect(roundTrips(res)).toBe(1);
    expect(await res.text()).toContain('value="2026-05-05"');
    expect((await ticketsOf(project.id))[0]).toMatchObject({ dueDate: '2026-05-05', version: t!.version + 1 });
    // A change made from the old version is refused (409) and saves nothing.
    res = await send(`/p/${key}/t/1/row`, {
      cookie: me.cookie,
      htmx: true,
      form: { due_date: '', version: String(t!.version) },
    });
    expect(res.status).toBe(409);
    expect((await ticketsOf(project.id))[0]!.dueDate).toBe('2026-05-05');
    res = await send(`/p/${key}/t/1/row`, {
      cookie: me.cookie,
      htmx: true,
      form: { due_date: '', version: String(t!.version + 1) },
    });
    expect(res.status).toBe(200);
    expect((await ticketsOf(project.id))[0]!.dueDate).toBeNull();
    const events = await ticketsOf(project.id);
    expect(events[0]!.version).toBe(t!.version + 2);
  });

  it('marks overdue and due-today tickets in words on the list, board, ticket and My issues', async () => {
    const { project, key, me } = await setup();
    const yesterday = addDays(today, -1);
    await fileTicket(project, me.cookie, { title: 'Late', due_date: yesterday, assignee: me.user.id });
    await fileTicket(project, me.cookie, { title: 'Now', due_date: today, assignee: me.user.id });
    await fileTicket(project, me.cookie, { title: 'Finished', due_date: yesterday, status: 'DONE' });
    const list = await (await send(`/p/${key}/tickets`, { cookie: me.cookie, htmx: true })).text();
    expect(list).toContain(`<span class="due due-overdue" data-due="${yesterday}">Overdue ${yesterday}</span>`);
    expect(list).toContain(`<span class="due due-today" data-due="${today}">Due today</span>`);
    // A done ticket keeps its date, without a state.
    expect(list).toContain(`<span class="due">${yesterday}</span>`);
    const board = await (await send(`/p/${key}/board`, { cookie: me.cookie, htmx: true })).text();
    expect(board).toContain(`Overdue ${yesterday}</span>`);
    const modal = await (await send(`/p/${key}/t/1`, { cookie: me.cookie, htmx: true })).text();
    expect(modal).toContain(`Overdue ${yesterday}</span>`);
    expect(modal).toMatch(/<input type="date" id="ticket-due_date" name="due_date" class="due-input" value="[\d-]+"/);
    const mine = await (await send('/my', { cookie: me.cookie })).text();
    expect(mine).toContain(`Overdue ${yesterday}</span>`);
    expect(mine).toContain('Due today</span>');
  });

  it('sorts by due date, soonest first and undated last, in the project list and My issues', async () => {
    const { project, key, me } = await setup();
    const dues = ['2026-03-03', '', '2026-01-01', '2027-01-01', '', '2026-03-03'];
    for (const [i, due] of dues.entries()) await fileTicket(project, me.cookie, { title: `T${i + 1}`, due_date: due });
    const res = await send(`/p/${key}/tickets?sort=due`, { cookie: me.cookie, htmx: true });
    expect(roundTrips(res)).toBe(1);
    expect(titles(await res.text())).toEqual(['T3', 'T1', 'T6', 'T4', 'T2', 'T5']);
    const page = await (await send(`/p/${key}?sort=due`, { cookie: me.cookie })).text();
    expect(page).toMatch(/<option value="due" selected="">Due date<\/option>/);
    const mine = await (await send('/my?sort=due&role=reported', { cookie: me.cookie })).text();
    expect(titles(mine)).toEqual(['T3', 'T1', 'T6', 'T4', 'T2', 'T5']);
  });

  it('filters overdue (not done) and due this week, in the project list and My issues', async () => {
    const { project, key, me } = await setup();
    const rows: [string, string, string][] = [
      ['Late', addDays(today, -2), 'OPEN'],
      ['Late but done', addDays(today, -2), 'DONE'],
      ['Today', today, 'OPEN'],
      ['In six days', addDays(today, 6), 'OPEN'],
      ['In a week', addDays(today, 7), 'OPEN'],
      ['Undated', '', 'OPEN'],
    ];
    for (const [title, due, status] of rows) await fileTicket(project, me.cookie, { title, due_date: due, status });
    const list = async (q: string) => {
      const res = await send(`/p/${key}/tickets?${q}`, { cookie: me.cookie, htmx: true });
      expect(roundTrips(res)).toBe(1);
      return titles(await res.text()).sort();
    };
    expect(await list('due=overdue')).toEqual(['Late']);
    expect(await list('due=week')).toEqual(['In six days', 'Today']);
    expect(await list('due=week&sort=due')).toEqual(['In six days', 'Today']);
    expect(await list('due=someday')).toHaveLength(6);
    const mine = await (await send('/my/tickets?due=overdue', { cookie: me.cookie, htmx: true })).text();
    expect(titles(mine)).toEqual(['Late']);
  });
});
