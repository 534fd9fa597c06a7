/** @module tickets/schemas — one zod schema per ticket form, plus the list's query string. */
import * as z from 'zod/mini';
import { PRIORITIES, STATUSES } from '../db/schema';
import { COMMENT_MAX, DESCRIPTION_MAX } from '../lib/markdown';
import { isUuid } from '../lib/crypto';
import { DUE_INVALID, dueDateError } from '../lib/due-dates';

export const TITLE_MAX = 200;
export const SEARCH_MAX = 200;

const statusField = z.enum(STATUSES, { error: 'Choose one of the listed statuses.' });
const priorityField = z.enum(PRIORITIES, { error: 'Choose one of the listed priorities.' });
const DESCRIPTION_TOO_LONG = `The description is too long (${DESCRIPTION_MAX.toLocaleString('en')} characters at most).`;
const NOT_A_MEMBER = 'Choose a member of the project, or nobody.';

export const VERSION_ERROR = 'This form is out of date: close it and open the ticket again.';

/** A ticket version as sent by a form: a whole number, or nothing (an empty field means "no check"). */
function versionField() {
  return z.pipe(
    z.string(VERSION_ERROR).check(z.regex(/^\d{0,9}$/, VERSION_ERROR)),
    z.transform((v) => (v === '' ? undefined : Number(v))),
  );
}

/**
 * A due date as a form sends it: `YYYY-MM-DD` (what `<input type=date>` submits), a real day from 2000 to 9999, or
 * empty for none. The message says what is wrong: not a date, a day the calendar lacks, too early or too late.
 */
const dueDateField = z.pipe(
  z.string(DUE_INVALID).check(
    z.trim(),
    z.superRefine((v, ctx) => {
      const error = v === '' ? null : dueDateError(v);
      if (error) ctx.issues.push({ code: 'custom', message: error, input: v });
    }),
  ),
  z.transform((v): string | null => (v === '' ? null : v)),
);

/** Create and edit share one form. `project_id` or any other extra field is ignored: the URL names the project. */
export const ticketFormSchema = z.object({
  title: z
    .string({ error: 'Give the ticket a title.' })
    .check(
      z.trim(),
      z.minLength(1, 'Give the ticket a title.'),
      z.maxLength(TITLE_MAX, `Keep the title to ${TITLE_MAX} characters or fewer.`),
    ),
  description: z._default(
    z.string('Write the description as text.').check(z.maxLength(DESCRIPTION_MAX, DESCRIPTION_TOO_LONG)),
    '',
  ),
  status: z._default(statusField, 'OPEN'),
  priority: z._default(priorityField, 'MEDIUM'),
  assignee: z.pipe(
    z._default(z.string(NOT_A_MEMBER).check(z.refine((v) => v === '' || isUuid(v), NOT_A_MEMBER)), ''),
    z.transform((v) => (v === '' ? null : v)),
  ),
  /** Absent (an older form): the due date stays; empty: none. */
  due_date: z.optional(dueDateField),
  /** The create form's key (see db/form-keys); the edit form has none. */
  form_key: z.optional(z.string()),
  /** The edit form's: the ticket's version it was rendered from (see tickets/service, updateTicketFields). */
  version: z.optional(versionField()),
  /** The edit form's stamp of the values it was rendered with (see tickets/conflicts). */
  base: z.optional(z.string().check(z.maxLength(200))),
});
export type TicketInput = z.output<typeof ticketFormSchema>;

/** A move on the board or a change in place carries the version it was made from when the page knows it. */
export const statusFormSchema = z.object({ status: statusField, version: z.optional(versionField()) });

const assigneeField = z.pipe(
  z.string(NOT_A_MEMBER).check(z.refine((v) => v === '' || isUuid(v), NOT_A_MEMBER)),
  z.transform((v) => (v === '' ? null : v)),
);

/**
 * A change made in place (the ticket modal, a list row): any of status, priority and assignee; a field left out keeps
 * its value, an empty assignee means nobody.
 */
export const fieldsFormSchema = z
  .object({
    status: z.optional(statusField),
    priority: z.optional(priorityField),
    assignee: z.optional(assigneeField),
    due_date: z.optional(dueDateField),
    /** The version the controls were rendered from (see tickets/service, updateTicketFields). */
    version: z.optional(versionField()),
  })
  .check(
    z.refine(
      (v) => v.status !== undefined || v.priority !== undefined || v.assignee !== undefined || v.due_date !== undefined,
      {
        message: 'Choose a status, priority, assignee or due date.',
        path: ['_form'],
      },
    ),
  );

export const commentFormSchema = z.object({
  body: z
    .string({ error: 'Write a comment first.' })
    .check(
      z.trim(),
      z.minLength(1, 'Write a comment first.'),
      z.maxLength(COMMENT_MAX, `The comment is too long (${COMMENT_MAX.toLocaleString('en')} characters at most).`),
    ),
  form_key: z.optional(z.string()),
});

/** The Preview button posts whichever field it previews. */
const previewText = z.optional(z.string('Nothing to preview.'));
export const previewFormSchema = z.object({ text: previewText, description: previewText, body: previewText });

export const SORTS = ['created', 'oldest', 'updated', 'priority', 'due'] as const;
export type Sort = (typeof SORTS)[number];

export const DUE_FILTERS = ['overdue', 'week'] as const;

/**
 * `schema`, or `fallback` when the value does not fit. It does what `z.catch` does; zod/mini's `catch` reaches into
 * `core.util`, which would keep all of zod's helpers in the bundle (about 15 KB minified).
 */
function orElse<S extends z.ZodMiniType, F>(schema: S, fallback: F) {
  return z.pipe(
    z.unknown(),
    z.transform((value): z.output<S> | F => {
      const parsed = schema.safeParse(value);
      return parsed.success ? parsed.data : fallback;
    }),
  );
}

/**
 * The list's filters from the query string. A bookmark with a stale or mistyped value still opens: unknown values
 * are dropped rather than refused.
 */
export const listQuerySchema = z.object({
  status: z.optional(orElse(statusField, undefined)),
  priority: z.optional(orElse(priorityField, undefined)),
  assignee: z.optional(orElse(z.string().check(z.refine((v) => v === 'me' || v === 'none' || isUuid(v))), undefined)),
  q: z.optional(
    orElse(
      z.pipe(
        z.string(),
        // NUL (which PostgreSQL text cannot hold, so no ticket contains it) is dropped, like any other stray input.
        z.transform((v) => v.replaceAll('\0', '').trim().slice(0, SEARCH_MAX)),
      ),
      undefined,
    ),
  ),
  /** `overdue` (before today, not done) or `week` (today and the six days after); days in UTC. */
  due: z.optional(orElse(z.enum(DUE_FILTERS), undefined)),
  sort: z._default(orElse(z.enum(SORTS), 'created' as const), 'created'),
  after: z.optional(orElse(z.string().check(z.maxLength(200)), undefined)),
});
export type ListQuery = z.output<typeof listQuerySchema>;

export const MY_ROLES = ['assigned', 'reported'] as const;

/** My issues' filters: the list's, plus whose tickets (assigned to me, reported by me, or both). */
export const myQuerySchema = z.object({
  ...listQuerySchema.shape,
  role: z.optional(orElse(z.enum(MY_ROLES), undefined)),
});
export type MyQuery = z.output<typeof myQuerySchema>;
