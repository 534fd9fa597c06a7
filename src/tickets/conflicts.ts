/**
 * @module tickets/conflicts — an edit refused because the ticket moved on (409): the form comes back with the
 * other person's changes taken in where the user left a field alone, the user's own changes kept where they made
 * them, and a line for each field the other person changed. Saving that form again keeps both.
 *
 * The edit form carries a stamp of the values it was rendered with (`base`), so the server can tell which fields the
 * user touched without sending the whole ticket back and forth: a short hash of each text, the others as they are.
 */
import type { CurrentTicket } from './service';
import type { TicketInput } from './schemas';
import type { Member } from './sql';
import { PRIORITY_LABELS, STATUS_LABELS } from '../views/labels';

/** The edit form's fields, as the form holds them. */
export interface Fields {
  title: string;
  description: string;
  status: string;
  priority: string;
  assignee: string;
  /** `YYYY-MM-DD`, or empty for none. */
  due_date: string;
}

/** What changed on the ticket between the opening of the form and its save, when the save was refused (409). */
export interface ConflictNotice {
  changedBy: string | null;
  /** One line per field the other person changed: "Status is now In progress". */
  changes: string[];
}
const FIELDS = ['title', 'description', 'status', 'priority', 'assignee', 'due_date'] as const;

/** FNV-1a, 32 bits: enough to tell an edited text from the one the form was rendered with. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

/** The stamp of the values an edit form is rendered with (its hidden `base` field). */
export function formStamp(v: Fields): string {
  return [hash(v.title), hash(v.description), v.status, v.priority, v.assignee, v.due_date].join('.');
}

/** The 409 form's values and notice: `input` (the refused form) merged with `current` (the ticket now). */
export function mergeConflict(
  current: CurrentTicket,
  input: TicketInput,
  base: string | undefined,
  members: Member[],
): { values: Fields & { base: string }; notice: ConflictNotice } {
  const now: Fields = {
    title: current.title,
    description: current.description,
    status: current.status,
    priority: current.priority,
    assignee: current.assigneeId ?? '',
    due_date: current.dueDate ?? '',
  };
  const mine: Fields = {
    title: input.title,
    description: input.description,
    status: input.status,
    priority: input.priority,
    assignee: input.assignee ?? '',
    due_date: input.due_date ?? '',
  };
  const stamp = (v: Fields) => formStamp(v).split('.');
  const parts = base?.split('.');
  // Without a readable stamp every field counts as the user's (nothing of theirs is dropped silently).
  const was = parts?.length === FIELDS.length ? parts : null;
  const nowStamp = stamp(now);
  const mineStamp = stamp(mine);
  const values = { ...mine };
  const changes: string[] = [];
  FIELDS.forEach((field, i) => {
    const theirs = was ? nowStamp[i] !== was[i] : now[field] !== mine[field];
    if (!theirs) return;
    const touched = was ? mineStamp[i] !== was[i] : true;
    if (!touched) values[field] = now[field];
    const line = describe(field, now, members);
    changes.push(
      touched && now[field] !== mine[field] ? `${line}; yours is in the form and replaces it if you save` : line,
    );
  });
  // The next save is checked against the ticket as it is now.
  return { values: { ...values, base: formStamp(now) }, notice: { changedBy: current.changedBy, changes } };
}

function describe(field: (typeof FIELDS)[number], now: Fields, members: Member[]): string {
  switch (field) {
    case 'title':
      return `Title is now “${now.title}”`;
    case 'description':
      return 'The description changed';
    case 'status':
      return `Status is now ${STATUS_LABELS[now.status as keyof typeof STATUS_LABELS]}`;
    case 'priority':
      return `Priority is now ${PRIORITY_LABELS[now.priority as keyof typeof PRIORITY_LABELS]}`;
    case 'assignee': {
      const who = now.assignee ? (members.find((m) => m.id === now.assignee)?.name ?? 'a former member') : 'nobody';
      return `Assignee is now ${who}`;
    }
    case 'due_date':
      return now.due_date ? `Due date is now ${now.due_date}` : 'The due date was removed';
  }
}
