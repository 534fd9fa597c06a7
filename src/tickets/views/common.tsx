/** @module tickets/views/common — options, badges, dates and the small pieces every ticket view shares. */
import { raw } from 'hono/html';
import { PRIORITIES, STATUSES, type Priority, type Status } from '../../db/schema';
import { renderMarkdown } from '../../lib/markdown';
import { fillMentions } from '../../notifications/mentions';
import type { Member } from '../sql';
import type { SelectOption } from '../../views/fields';
import { PRIORITY_LABELS, STATUS_LABELS } from '../../views/labels';

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

export function PriorityBadge({ priority }: { priority: Priority }) {
  return <span class={`badge ${priorityClass(priority)}`}>{PRIORITY_LABELS[priority]}</span>;
}

/**
 * User Markdown through the sanitizing pipeline; the output is already wrapped in `hx-ignore`. Mentions show the
 * current names of `people` (the project's members), filled in after rendering.
 */
export function Markdown({ source, max, people }: { source: string; max?: number; people?: readonly Member[] }) {
  return raw(fillMentions(renderMarkdown(source, max), new Map((people ?? []).map((p) => [p.id, p.name]))));
}
