/** @module web/forms — zod results as field errors, and the form validator whose failure re-renders with 422. */
import { zValidator } from '@hono/zod-validator';
import type { Context, Env as HonoEnv } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type * as z from 'zod/mini';
import type { FieldErrors } from '../views/fields';

/** The first message per field, keyed by the field name. */
export function fieldErrors(error: {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? '_form');
    errors[key] ??= issue.message;
  }
  return errors;
}

/** Raw submitted values as strings (for re-rendering a form with what the user typed). */
export function formValues(form: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(form).map(([k, v]) => [k, typeof v === 'string' ? v : Array.isArray(v) ? String(v[0] ?? '') : '']),
  );
}

/**
 * The submitted fields for a handler that validates them itself (repeated fields become arrays, which a string
 * schema refuses). A body that cannot be parsed, such as multipart without a boundary, is a 400 as in
 * `formValidator`, never a 500.
 */
export async function readForm(c: Context): Promise<Record<string, unknown>> {
  try {
    return await c.req.parseBody({ all: true });
  } catch {
    throw new HTTPException(400, { message: 'The form could not be read.' });
  }
}

/**
 * `zValidator('form', schema)` whose failure calls `onInvalid` (which re-renders the form with 422) instead of
 * answering with JSON.
 */
export function formValidator<S extends z.ZodMiniType, E extends HonoEnv>(
  schema: S,
  onInvalid: (c: Context<E>, errors: FieldErrors, values: Record<string, string>) => Response | Promise<Response>,
) {
  return zValidator('form', schema, async (result, c) => {
    if (!result.success) {
      const values = formValues((await c.req.parseBody({ all: true })) as Record<string, unknown>);
      return onInvalid(c as unknown as Context<E>, fieldErrors(result.error), values);
    }
  });
}
