/**
 * @module views/fields — form fields with their hint and error next to them. Both sit outside the `<label>` so they
 * describe the field (aria-describedby) instead of becoming part of its name.
 */
import type { Child } from 'hono/jsx';
import { FORM_KEY_FIELD, newFormKey } from '../db/form-keys';

export type FieldErrors = Partial<Record<string, string>>;

interface BaseProps {
  name: string;
  label: string;
  errors?: FieldErrors | undefined;
  hint?: Child;
}

/** aria-invalid and aria-describedby: the error first (it matters most), then the hint. */
function describedBy(name: string, errors: FieldErrors | undefined, hint: Child | undefined) {
  const error = errors?.[name];
  const ids = [error ? `${name}-error` : '', hint ? `${name}-hint` : ''].filter(Boolean).join(' ');
  return {
    ...(error ? { 'aria-invalid': 'true' as const } : {}),
    ...(ids ? { 'aria-describedby': ids } : {}),
  };
}

/** The hint and the error under a field. */
function FieldNotes({ name, errors, hint }: { name: string; errors?: FieldErrors | undefined; hint?: Child }) {
  return (
    <>
      {hint ? <small id={`${name}-hint`}>{hint}</small> : null}
      <FieldError name={name} errors={errors} />
    </>
  );
}

function FieldError({ name, errors }: { name: string; errors?: FieldErrors | undefined }) {
  const error = errors?.[name];
  return error ? (
    <small id={`${name}-error`} class="field-error" role="alert">
      {error}
    </small>
  ) : null;
}

export function TextField(
  props: BaseProps & {
    value?: string | null | undefined;
    type?: 'text' | 'email' | 'password' | 'search' | 'url' | 'date';
    required?: boolean;
    min?: string;
    max?: string;
    maxlength?: number;
    minlength?: number;
    autocomplete?: string;
    autofocus?: boolean;
    readonly?: boolean;
    placeholder?: string;
    pattern?: string;
  },
) {
  const { name, label, errors, hint, value, type = 'text', ...rest } = props;
  return (
    <div>
      <label for={`field-${name}`}>{label}</label>
      <input
        type={type}
        name={name}
        id={`field-${name}`}
        value={type === 'password' ? undefined : (value ?? undefined)}
        {...rest}
        {...describedBy(name, errors, hint)}
      />
      <FieldNotes name={name} errors={errors} hint={hint} />
    </div>
  );
}

export function TextArea(
  props: BaseProps & { value?: string | null | undefined; rows?: number; maxlength?: number; required?: boolean },
) {
  const { name, label, errors, hint, value, rows = 6, ...rest } = props;
  return (
    <div>
      <label for={`field-${name}`}>{label}</label>
      <textarea name={name} id={`field-${name}`} rows={rows} {...rest} {...describedBy(name, errors, hint)}>
        {value ?? ''}
      </textarea>
      <FieldNotes name={name} errors={errors} hint={hint} />
    </div>
  );
}

export interface SelectOption {
  value: string;
  label: string;
}

export function SelectField(
  props: BaseProps & { value?: string | null | undefined; options: readonly SelectOption[]; required?: boolean },
) {
  const { name, label, errors, hint, value, options, ...rest } = props;
  return (
    <div>
      <label for={`field-${name}`}>{label}</label>
      <select name={name} id={`field-${name}`} {...rest} {...describedBy(name, errors, hint)}>
        {options.map((o) => (
          <option value={o.value} selected={o.value === (value ?? '')}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldNotes name={name} errors={errors} hint={hint} />
    </div>
  );
}

/** A form-level message (e.g. "this ticket was deleted") shown above the fields. */
export function FormAlert({ message }: { message?: string | undefined }) {
  return message ? (
    <p class="form-alert" role="alert">
      {message}
    </p>
  ) : null;
}

/**
 * htmx attributes for every form that changes something: its submit buttons are disabled while its request runs
 * (their spinner is CSS on `.htmx-request`), and a second submit meanwhile is dropped, not queued.
 */
export const SAFE_SUBMIT = { 'hx-disable': 'findAll [type=submit]', 'hx-sync': 'drop' } as const;

/** The create form's key (see db/form-keys): a repeat of this form creates nothing twice. */
export function FormKey({ value }: { value?: string | undefined }) {
  return <input type="hidden" name={FORM_KEY_FIELD} value={value || newFormKey()} />;
}
