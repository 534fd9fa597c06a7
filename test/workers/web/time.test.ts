import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { invitations, tickets } from '../../../src/db/schema';
import { formatTime } from '../../../src/views/time';
import { makeProject, member } from '../fixtures';
import { send, signedIn, testDb } from '../helpers';
import { makeInvitation } from '../invitations/helpers';
import { fileTicket } from '../tickets/fixtures';

const ms = Date.UTC(2026, 4, 4, 13, 7, 59);
// The exact UTC time as text and title; app.js makes it relative and local in the browser.
const shown = '<time datetime="2026-05-04T13:07:59.000Z" title="2026-05-04 13:07 UTC">2026-05-04 13:07 UTC</time>';

describe('times on pages', () => {
  it('are written to the minute, in UTC', () => {
    expect(formatTime(ms)).toBe('2026-05-04 13:07 UTC');
  });

  it('read the same on a ticket and in the invitation list', async () => {
    const project = await makeProject();
    const { cookie } = await member(project);
    const number = await fileTicket(project, cookie);
    await testDb().update(tickets).set({ createdAt: ms }).where(eq(tickets.projectId, project.id));
    const ticketPage = await (await send(`/p/${project.key}/t/${number}`, { cookie })).text();
    expect(ticketPage).toContain(`<dt>Created</dt><dd>${shown}</dd>`);

    const manager = await signedIn({ role: 'MANAGER' });
    const { row } = await makeInvitation({ senderId: manager.user.id });
    await testDb().update(invitations).set({ createdAt: ms }).where(eq(invitations.id, row.id));
    const list = await (await send('/invitations', { cookie: manager.cookie })).text();
    expect(list).toContain(shown);
  });
});
