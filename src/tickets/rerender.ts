/**
 * @module tickets/rerender — stores the current renderer's HTML for descriptions and comments whose stored HTML an
 * older renderer made (or that were written before HTML was stored). Pages already render such rows on the fly, so
 * this only saves that work on later reads. Bounded: each round reads at most `batchSize` stale rows of each table
 * through their `rendered_version` index and writes them back in one batch; a run stops after `maxRounds`. A row
 * changed between the read and the write is left alone (its write stored the current HTML itself).
 */
import { and, eq, lt } from 'drizzle-orm';
import type { Db } from '../db/database';
import { plan, runPlan } from '../db/plan';
import { comments, tickets } from '../db/schema';
import { COMMENT_MAX, MARKDOWN_VERSION, markdownToHtml } from '../lib/markdown';
import type { JobContext } from '../scheduled/job';

export interface RerenderOptions {
  batchSize?: number;
  maxRounds?: number;
}

export interface Rerendered {
  tickets: number;
  comments: number;
  /** True when a bound stopped the run with stale rows left for the next one. */
  more: boolean;
}

/** At most `limit` descriptions and comments an older renderer made. */
export function readStaleMarkdown(limit: number) {
  return plan(
    (db) =>
      [
        db
          .select({ id: tickets.id, source: tickets.description })
          .from(tickets)
          .where(lt(tickets.renderedVersion, MARKDOWN_VERSION))
          .limit(limit),
        db
          .select({ id: comments.id, source: comments.body })
          .from(comments)
          .where(lt(comments.renderedVersion, MARKDOWN_VERSION))
          .limit(limit),
      ] as const,
    ([ticketRows, commentRows]) => ({ tickets: ticketRows, comments: commentRows }),
  );
}

type Rendered = { id: string; html: string }[];

/** Stores the rendered HTML of each row that is still stale (one statement a row; each binds three values). */
export function storeRenderedMarkdown(ticketHtml: Rendered, commentHtml: Rendered) {
  return plan(
    (db) => [
      ...ticketHtml.map(({ id, html }) =>
        db
          .update(tickets)
          .set({ descriptionHtml: html, renderedVersion: MARKDOWN_VERSION })
          .where(and(eq(tickets.id, id), lt(tickets.renderedVersion, MARKDOWN_VERSION))),
      ),
      ...commentHtml.map(({ id, html }) =>
        db
          .update(comments)
          .set({ bodyHtml: html, renderedVersion: MARKDOWN_VERSION })
          .where(and(eq(comments.id, id), lt(comments.renderedVersion, MARKDOWN_VERSION))),
      ),
    ],
    () => undefined,
  );
}

export async function rerenderMarkdown(
  db: Db,
  { batchSize = 50, maxRounds = 4 }: RerenderOptions = {},
): Promise<Rerendered> {
  const done: Rerendered = { tickets: 0, comments: 0, more: false };
  for (let round = 0; round < maxRounds; round++) {
    const stale = await runPlan(db, readStaleMarkdown(batchSize));
    const ticketHtml = stale.tickets.map(({ id, source }) => ({ id, html: markdownToHtml(source) }));
    const commentHtml = stale.comments.map(({ id, source }) => ({ id, html: markdownToHtml(source, COMMENT_MAX) }));
    await runPlan(db, storeRenderedMarkdown(ticketHtml, commentHtml));
    done.tickets += ticketHtml.length;
    done.comments += commentHtml.length;
    if (Math.max(ticketHtml.length, commentHtml.length) < batchSize) return done;
  }
  return { ...done, more: true };
}

export async function rerenderMarkdownJob({ db }: JobContext, options?: RerenderOptions): Promise<string> {
  const r = await rerenderMarkdown(db, options);
  return `${r.tickets} descriptions and ${r.comments} comments rendered again${r.more ? '; more left for the next run' : ''}`;
}
