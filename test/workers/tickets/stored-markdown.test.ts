/**
 * Markdown rendered when it is written: descriptions and comments keep their sanitized HTML and the renderer version
 * that made it; pages show it as stored, render a stale row on the fly, and the scheduled job stores the new HTML.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { comments, tickets, type Project } from '../../../src/db/schema';
import { COMMENT_MAX, MARKDOWN_VERSION, markdownToHtml } from '../../../src/lib/markdown';
import worker from '../../../src/index';
import { EVERY_TEN_MINUTES } from '../../../src/scheduled';
import { rerenderMarkdown } from '../../../src/tickets/rerender';
import { makeProject, member } from '../fixtures';
import { send, testDb } from '../helpers';
import { fileTicket } from './fixtures';

const DESCRIPTION = '# Steps\n\n1. Open **the board**\n2. See [the docs](https://example.com/docs)\n\n<b>raw</b>';
const COMMENT = 'Looked into it: _still_ broken `here`.';

async function ticketRow(project: Project, number: number) {
  const [row] = await testDb()
    .select()
    .from(tickets)
    .where(and(eq(tickets.projectId, project.id), eq(tickets.number, number)));
  return row!;
}

async function commentRows(ticketId: string) {
  return testDb().select().from(comments).where(eq(comments.ticketId, ticketId)).orderBy(comments.createdAt);
}

async function runEveryTenMinutes() {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron: EVERY_TEN_MINUTES, scheduledTime: Date.now() }), env, ctx);
  await waitOnExecutionContext(ctx);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('Markdown stored at write time', () => {
  it('stores the renderer’s output for a created ticket, an edit and a comment', async () => {
    const project = await makeProject();
    const { cookie } = await member(project);
    const number = await fileTicket(project, cookie, { description: DESCRIPTION });
    let row = await ticketRow(project, number);
    expect(row.descriptionHtml).toBe(markdownToHtml(DESCRIPTION));
    expect(row.descriptionHtml).toContain('<strong>the board</strong>');
    expect(row.renderedVersion).toBe(MARKDOWN_VERSION);

    const edited = 'Now *different*.';
    const res = await send(`/p/${project.key}/t/${number}`, {
      cookie,
      htmx: true,
      form: { title: 'A ticket', description: edited, status: 'OPEN', priority: 'HIGH', assignee: '' },
    });
    expect(res.status).toBe(204);
    row = await ticketRow(project, number);
    expect(row.descriptionHtml).toBe(markdownToHtml(edited));

    // A change in place that does not touch the description keeps its HTML.
    const moved = await send(`/p/${project.key}/t/${number}/fields`, { cookie, htmx: true, form: { status: 'DONE' } });
    expect(moved.status).toBe(200);
    expect((await ticketRow(project, number)).descriptionHtml).toBe(markdownToHtml(edited));

    const commented = await send(`/p/${project.key}/t/${number}/comments`, {
      cookie,
      htmx: true,
      form: { body: COMMENT },
    });
    expect(commented.status).toBe(200);
    const [comment] = await commentRows(row.id);
    expect(comment!.bodyHtml).toBe(markdownToHtml(COMMENT, COMMENT_MAX));
    expect(comment!.renderedVersion).toBe(MARKDOWN_VERSION);
    expect(await commented.text()).toContain(markdownToHtml(COMMENT, COMMENT_MAX));
  });

  it('shows stored HTML as it is, renders a stale row on the fly, and the scheduled job stores the new HTML', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const project = await makeProject();
    const { cookie } = await member(project);
    const number = await fileTicket(project, cookie, { description: 'first' });
    const row = await ticketRow(project, number);
    await send(`/p/${project.key}/t/${number}/comments`, { cookie, htmx: true, form: { body: 'a comment' } });
    const [comment] = await commentRows(row.id);

    // Current version: the page shows the stored string, not a new rendering of the source.
    await testDb().update(tickets).set({ descriptionHtml: '<p>as stored</p>' }).where(eq(tickets.id, row.id));
    let view = await (await send(`/p/${project.key}/t/${number}`, { cookie, htmx: true })).text();
    expect(view).toContain('<div class="markdown" hx-ignore><p>as stored</p></div>');

    // An older renderer's HTML (and a row from before HTML was stored) is rendered again on read, sanitized.
    const attack = '**now** <script>alert(1)</script> [x](javascript:alert(1))';
    await testDb()
      .update(tickets)
      .set({
        description: attack,
        descriptionHtml: '<p>old <script>x</script></p>',
        renderedVersion: MARKDOWN_VERSION - 1,
      })
      .where(eq(tickets.id, row.id));
    await testDb()
      .update(comments)
      .set({ body: 'edited _comment_', bodyHtml: null, renderedVersion: 0 })
      .where(eq(comments.id, comment!.id));
    view = await (await send(`/p/${project.key}/t/${number}`, { cookie, htmx: true })).text();
    expect(view).toContain(`<div class="markdown" hx-ignore>${markdownToHtml(attack)}</div>`);
    expect(view).toContain('<p><strong>now</strong> &lt;script&gt;alert(1)&lt;/script&gt; x</p>');
    expect(view).not.toContain('old <script>');
    expect(view).toContain(`<div class="markdown" hx-ignore>${markdownToHtml('edited _comment_', COMMENT_MAX)}</div>`);

    await runEveryTenMinutes();
    const refreshed = await ticketRow(project, number);
    expect(refreshed.descriptionHtml).toBe(markdownToHtml(attack));
    expect(refreshed.renderedVersion).toBe(MARKDOWN_VERSION);
    const [refreshedComment] = await commentRows(row.id);
    expect(refreshedComment!.bodyHtml).toBe(markdownToHtml('edited _comment_', COMMENT_MAX));
    expect(refreshedComment!.renderedVersion).toBe(MARKDOWN_VERSION);
  });

  it('re-renders in bounded rounds and leaves the rest for the next run', async () => {
    const project = await makeProject();
    const { cookie } = await member(project);
    for (const text of ['one', 'two', 'three']) await fileTicket(project, cookie, { description: text });
    // Every stale row of the database, this file's others included, is caught up first.
    await rerenderMarkdown(testDb(), { batchSize: 100, maxRounds: 100 });
    await testDb().update(tickets).set({ renderedVersion: 0 }).where(eq(tickets.projectId, project.id));

    const first = await rerenderMarkdown(testDb(), { batchSize: 2, maxRounds: 1 });
    expect(first).toEqual({ tickets: 2, comments: 0, more: true });
    const second = await rerenderMarkdown(testDb(), { batchSize: 2, maxRounds: 1 });
    expect(second).toEqual({ tickets: 1, comments: 0, more: false });
    const rows = await testDb().select().from(tickets).where(eq(tickets.projectId, project.id));
    expect(rows.map((r) => r.renderedVersion)).toEqual([MARKDOWN_VERSION, MARKDOWN_VERSION, MARKDOWN_VERSION]);
    expect(rows.map((r) => r.descriptionHtml).sort()).toEqual(
      ['one', 'three', 'two'].map((t) => markdownToHtml(t)).sort(),
    );
  });
});
