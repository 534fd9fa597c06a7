/** @module views/fields — form fields with their error next to them (aria-invalid + aria-describedby). */
import type { Child } from 'hono/jsx';

export type FieldErrors = Partial<Record<string, string>>;

interface BaseProps {
  name: string;
  label: string;
  errors?: FieldErrors | undefined;
  hint?: Child;
}

function errorProps(name: string, errors?: FieldErrors) {
  const error = errors?.[name];
  return error ? { 'aria-invalid': 'true' as const, 'aria-describedby': `${name}-error` } : {};
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
    type?: 'text' | 'email' | 'password' | 'search' | 'url';
    required?: boolean;
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
    <label>
      {label}
      <input
        type={type}
        name={name}
        id={`field-${name}`}
        value={type === 'password' ? undefined : (value ?? undefined)}
        {...rest}
        {...errorProps(name, errors)}
      />
      {hint ? <small>{hint}</small> : null}
      <FieldError name={name} errors={errors} />
    </label>
  );
}

export function TextArea(
  props: BaseProps & { value?: string | null | undefined; rows?: number; maxlength?: number; required?: boolean },
) {
  const { name, label, errors, hint, value, rows = 6, ...rest } = props;
  return (
    <label>
      {label}
      <textarea name={name} id={`field-${name}`} rows={rows} {...rest} {...errorProps(name, errors)}>
        {value ?? ''}
      </textarea>
      {hint ? <small>{hint}</small> : null}
      <FieldError name={name} errors={errors} />
    </label>
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
    <label>
      {label}
      <select name={name} id={`field-${name}`} {...rest} {...errorProps(name, errors)}>
        {options.map((o) => (
          <option value={o.value} selected={o.value === (value ?? '')}>
            {o.label}
          </option>
        ))}
      </select>
      {hint ? <small>{hint}</small> : null}
      <FieldError name={name} errors={errors} />
    </label>
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
