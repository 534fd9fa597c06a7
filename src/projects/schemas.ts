/** @module projects/schemas — one zod schema per project form. */
import * as z from 'zod/mini';
import { isUuid } from '../lib/crypto';

export const PROJECT_NAME_MAX = 80;
export const PROJECT_DESCRIPTION_MAX = 2000;

const name = z
  .string({ error: 'Give the project a name.' })
  .check(
    z.trim(),
    z.minLength(1, 'Give the project a name.'),
    z.maxLength(PROJECT_NAME_MAX, `Keep the name to ${PROJECT_NAME_MAX} characters or fewer.`),
  );

const description = z._default(
  z
    .string(`Keep the description to ${PROJECT_DESCRIPTION_MAX} characters or fewer.`)
    .check(
      z.trim(),
      z.maxLength(PROJECT_DESCRIPTION_MAX, `Keep the description to ${PROJECT_DESCRIPTION_MAX} characters or fewer.`),
    ),
  '',
);

/** Lower-case input is accepted and upper-cased: people type "nex" and mean NEX. */
const key = z
  .string({ error: 'Choose a key of 2 to 6 letters, like NEX.' })
  .check(
    z.trim(),
    z.toUpperCase(),
    z.regex(/^[A-Z]{2,6}$/, 'Use 2 to 6 letters (A–Z), like NEX. It starts every ticket key: NEX-42.'),
  );

export const createProjectSchema = z.object({ name, key, description, form_key: z.optional(z.string()) });
export type CreateProjectInput = z.infer<typeof createProjectSchema>;

/** The key is not part of the edit form: ticket keys already handed out (NEX-42) must keep working. */
export const editProjectSchema = z.object({ name, description });
export type EditProjectInput = z.infer<typeof editProjectSchema>;

/** Deleting asks for the project key to be typed; the handler compares it with the project's own key. */
export const deleteProjectSchema = z.object({
  confirmKey: z
    .string({ error: 'Type the project key to confirm.' })
    .check(z.trim(), z.toUpperCase(), z.maxLength(20, 'Type the project key to confirm.')),
});

export const addMemberSchema = z.object({
  userId: z
    .string({ error: 'Choose a person to add.' })
    .check(z.minLength(1, 'Choose a person to add.'), z.refine(isUuid, 'Choose a person from the list.')),
});
