/**
 * @module notifications/fields — how notices name a ticket's changed fields (`ticket_events.field`) and in which
 * order they tell a save's changes: the first one leads a notice, the rest follow it.
 */

/** The order in which a save's changes are told. */
export const FIELD_ORDER = ['status', 'priority', 'assignee', 'due_date', 'title', 'description'] as const;

/** Each field as a sentence names it. */
export const FIELD_NAMES: Record<string, string> = {
  title: 'the title',
  description: 'the description',
  status: 'the status',
  priority: 'the priority',
  assignee: 'the assignee',
  due_date: 'the due date',
};

/** A field's place in `FIELD_ORDER` (unknown fields last). */
export function fieldOrder(field: string): number {
  const i = (FIELD_ORDER as readonly string[]).indexOf(field);
  return i === -1 ? FIELD_ORDER.length : i;
}

/** "the title", "the status and the title", "the status, the priority and the title". */
export function namedFields(fields: readonly string[]): string {
  const names = [...new Set(fields)].sort((a, b) => fieldOrder(a) - fieldOrder(b)).map((f) => FIELD_NAMES[f] ?? f);
  const last = names.pop();
  if (last === undefined) return '';
  return names.length ? `${names.join(', ')} and ${last}` : last;
}
