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

/**
 * The NUL character (U+0000) is refused in every submitted field, on every backend: PostgreSQL text cannot hold it
 * (SQLite can), and no one types it. One rule for every form, checked before the form's own schema.
 */
export const NUL_MESSAGE = 'Remove the invisible NUL character (U+0000) from this field.';

/** An error for each submitted field holding NUL (repeated fields included), or null when there is none. */
export function nulErrors(form: Record<string, unknown>): FieldErrors | null {
  let errors: FieldErrors | null = null;
  for (const [name, value] of Object.entries(form)) {
    const texts = Array.isArray(value) ? value : [value];
    if (texts.some((v) => typeof v === 'string' && v.includes('\0'))) (errors ??= {})[name] = NUL_MESSAGE;
  }
  return errors;
}

/** Raw submitted values as strings (for re-rendering a form with what the user typed, less any NUL). */
export function formValues(form: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(form).map(([k, v]) => {
      const text = typeof v === 'string' ? v : Array.isArray(v) ? String(v[0] ?? '') : '';
      return [k, text.replaceAll('\0', '')];
    }),
  );
}

/**
 * `schema.safeParse(form)` with the rule every form shares (no NUL), for a handler that reads the form itself: the
 * errors are keyed by field, as `formValidator` gives them.
 */
export function parseForm<S extends z.ZodMiniType>(
  schema: S,
  form: Record<string, unknown>,
): { success: true; data: z.output<S> } | { success: false; errors: FieldErrors } {
  const parsed = schema.safeParse(form);
  const nul = nulErrors(form);
  if (parsed.success && !nul) return { success: true, data: parsed.data };
  return { success: false, errors: { ...(parsed.success ? {} : fieldErrors(parsed.error)), ...nul } };
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
 * `zValidator('form', schema)` plus the rule every form shares (no NUL), whose failure calls `onInvalid` (which re-renders the form with 422) instead of
 * answering with JSON.
 */
export function formValidator<S extends z.ZodMiniType, E extends HonoEnv>(
  schema: S,
  onInvalid: (c: Context<E>, errors: FieldErrors, values: Record<string, string>) => Response | Promise<Response>,
) {
  return zValidator('form', schema, async (result, c) => {
    const form = (await c.req.parseBody({ all: true })) as Record<string, unknown>;
    const nul = nulErrors(form);
    if (!result.success || nul) {
      const errors = { ...(result.success ? {} : fieldErrors(result.error)), ...nul };
      return onInvalid(c as unknown as Context<E>, errors, formValues(form));
    }
  });
}
