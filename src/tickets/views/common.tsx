/** @module tickets/views/common — options, badges, dates and the small pieces every ticket view shares. */
import { html, raw } from 'hono/html';
import { PRIORITIES, STATUSES, type Priority, type Status } from '../../db/schema';
import { renderMarkdown, wrapMarkdown } from '../../lib/markdown';
import { fillMentions } from '../../notifications/mentions';
import type { Member } from '../sql';
import type { SelectOption } from '../../views/fields';
import { PRIORITY_LABELS, STATUS_LABELS } from '../../views/labels';
import { dueState, utcDay } from '../../lib/due-dates';

export const STATUS_OPTIONS: SelectOption[] = STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }));
export const PRIORITY_OPTIONS: SelectOption[] = PRIORITIES.map((p) => ({ value: p, label: PRIORITY_LABELS[p] }));

/** A day, for dense rows. */
export function formatDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The class that draws a status as a badge (a colour dot before the label; app.css), in the list, board and ticket. */
export function statusClass(status: Status): string {
  return `s-${status.toLowerCase()}`;
}

/** The class that draws a priority as a badge, like `statusClass`. */
export function priorityClass(priority: Priority): string {
  return `p-${priority.toLowerCase()}`;
}

export function StatusBadge({ status }: { status: Status }) {
  return <span class={`badge ${statusClass(status)}`}>{STATUS_LABELS[status]}</span>;
}

/**
 * A priority as a badge. The badges are escaping `html` templates, so the board's cards (templates themselves, drawn
 * sixty at a time) and the JSX views draw the same markup from one place.
 */
export function priorityBadge(priority: Priority) {
  return html`<span class="badge ${priorityClass(priority)}">${PRIORITY_LABELS[priority]}</span>`;
}

export function PriorityBadge({ priority }: { priority: Priority }) {
  return priorityBadge(priority);
}

/**
 * User Markdown through the sanitizing pipeline; the output is already wrapped in `hx-ignore`. Mentions show the
 * current names of `people` (the project's members), filled in after rendering.
 */
export function Markdown({ source, max, people }: { source: string; max?: number; people?: readonly Member[] }) {
  return raw(fillMentions(renderMarkdown(source, max), namesOf(people)));
}

function namesOf(people: readonly Member[] = []): Map<string, string> {
  return new Map(people.map((p) => [p.id, p.name]));
}

/**
 * Markdown rendered when it was written (`currentHtml` renders it now if the stored HTML is missing or stale). The
 * stored string is the whole input: anything read-time (a current name in place of a placeholder) is a pass here.
 */
export function StoredMarkdown({ html, people }: { html: string; people?: readonly Member[] }) {
  return raw(fillMentions(wrapMarkdown(html), namesOf(people)));
}

/**
 * A due date and how it stands, as the server sees it on its UTC day; app.js redoes it on the viewer's own day
 * (`data-due`, only on tickets not done). Overdue and today say so in words, the colour only helps the eye.
 */
export function dueView(due: string | null, done: boolean, today: string = utcDay(Date.now())) {
  const state = dueState(due, today, done);
  const text = due === null ? '' : state === 'overdue' ? `Overdue ${due}` : state === 'today' ? 'Due today' : due;
  return {
    text,
    class: state ? `due-${state}` : undefined,
    attrs: due !== null && !done ? { 'data-due': due } : {},
  };
}

/** A due date in a card or the ticket: the date with its state, or nothing without one (see `priorityBadge`). */
export function dueBadge(due: string | null, done: boolean) {
  if (due === null) return null;
  const view = dueView(due, done);
  const cls = view.class ? `due ${view.class}` : 'due';
  const day = 'data-due' in view.attrs ? html` data-due="${view.attrs['data-due']}"` : '';
  // prettier-ignore
  return html`<span class="${cls}" title="Due ${due}"${day}>${view.text}</span>`;
}

export function DueBadge({ due, done }: { due: string | null; done: boolean }) {
  return dueBadge(due, done);
}
