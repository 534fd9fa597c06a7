/** @module tickets/schemas — one zod schema per ticket form, plus the list's query string. */
import * as z from 'zod';
import { PRIORITIES, STATUSES } from '../db/schema';
import { COMMENT_MAX, DESCRIPTION_MAX } from '../lib/markdown';
import { isUuid } from '../lib/crypto';

export const TITLE_MAX = 200;
export const SEARCH_MAX = 200;

const statusField = z.enum(STATUSES, { error: 'Choose one of the listed statuses.' });
const priorityField = z.enum(PRIORITIES, { error: 'Choose one of the listed priorities.' });

/** Create and edit share one form. `project_id` or any other extra field is ignored: the URL names the project. */
export const ticketFormSchema = z.object({
  title: z
    .string({ error: 'Give the ticket a title.' })
    .trim()
    .min(1, 'Give the ticket a title.')
    .max(TITLE_MAX, `Keep the title to ${TITLE_MAX} characters or fewer.`),
  description: z
    .string()
    .max(DESCRIPTION_MAX, `The description is too long (${DESCRIPTION_MAX.toLocaleString('en')} characters at most).`)
    .default(''),
  status: statusField.default('OPEN'),
  priority: priorityField.default('MEDIUM'),
  assignee: z
    .string()
    .default('')
    .refine((v) => v === '' || isUuid(v), 'Choose a member of the project, or nobody.')
    .transform((v) => (v === '' ? null : v)),
});
export type TicketInput = z.output<typeof ticketFormSchema>;

export const statusFormSchema = z.object({ status: statusField });

export const commentFormSchema = z.object({
  body: z
    .string({ error: 'Write a comment first.' })
    .trim()
    .min(1, 'Write a comment first.')
    .max(COMMENT_MAX, `The comment is too long (${COMMENT_MAX.toLocaleString('en')} characters at most).`),
});

/** The Preview button posts whichever field it previews. */
export const previewFormSchema = z.object({
  text: z.string().optional(),
  description: z.string().optional(),
  body: z.string().optional(),
});

export const SORTS = ['created', 'updated', 'priority'] as const;
export type Sort = (typeof SORTS)[number];

/**
 * The list's filters from the query string. A bookmark with a stale or mistyped value still opens: unknown values
 * are dropped rather than refused.
 */
export const listQuerySchema = z.object({
  status: statusField.optional().catch(undefined),
  priority: priorityField.optional().catch(undefined),
  assignee: z
    .string()
    .refine((v) => v === 'me' || v === 'none' || isUuid(v))
    .optional()
    .catch(undefined),
  q: z
    .string()
    .transform((v) => v.trim().slice(0, SEARCH_MAX))
    .optional()
    .catch(undefined),
  sort: z.enum(SORTS).default('created').catch('created'),
  after: z.string().max(200).optional().catch(undefined),
});
export type ListQuery = z.output<typeof listQuerySchema>;
