/** @module views/account-fields — the fields of a person's account (email, name, passwords), shared by several forms. */
import { TextField, type FieldErrors } from './fields';
import { PASSWORD_MAX, PASSWORD_MIN } from '../auth/passwords';
import { USER_NAME_MAX } from '../auth/fields';

/** The address someone signs in with. */
export function EmailField({ value, errors }: { value?: string | undefined; errors?: FieldErrors | undefined }) {
  return (
    <TextField
      name="email"
      label="Email"
      type="email"
      value={value}
      errors={errors}
      required
      autocomplete="username"
      autofocus
      maxlength={320}
    />
  );
}

/** The name others see (joining, the profile), with the one limit the server checks. */
export function PersonNameField({
  value,
  errors,
  label = 'Name',
  autofocus,
}: {
  value?: string | undefined;
  errors?: FieldErrors | undefined;
  label?: string;
  autofocus?: boolean;
}) {
  return (
    <TextField
      name="name"
      label={label}
      value={value}
      errors={errors}
      required
      maxlength={USER_NAME_MAX}
      autocomplete="name"
      autofocus={autofocus}
    />
  );
}

/** The password someone has now (signing in, changing it); its length is never checked here: a wrong one is wrong. */
export function CurrentPasswordField({
  name,
  label,
  errors,
}: {
  name: string;
  label: string;
  errors?: FieldErrors | undefined;
}) {
  return (
    <TextField name={name} label={label} type="password" errors={errors} required autocomplete="current-password" />
  );
}

/** The field names and labels of a new-password pair; the join form, where nothing is "new" yet, uses its own. */
const CHANGE_PASSWORD = {
  password: { name: 'new_password', label: 'New password' },
  confirm: { name: 'confirm_password', label: 'Repeat the new password' },
};

/** A new password and its repetition, with the policy's limits (`new_password`, `confirm_password` by default). */
export function NewPasswordFields({
  errors,
  hint,
  autofocus,
  fields = CHANGE_PASSWORD,
}: {
  errors?: FieldErrors | undefined;
  hint: string;
  autofocus?: boolean;
  fields?: typeof CHANGE_PASSWORD;
}) {
  // Both halves: a password field the browser may fill with a generated password, at most the policy's length.
  const newPassword = (field: { name: string; label: string }) =>
    ({
      ...field,
      type: 'password',
      errors,
      required: true,
      maxlength: PASSWORD_MAX,
      autocomplete: 'new-password',
    }) as const;
  return (
    <>
      <TextField {...newPassword(fields.password)} minlength={PASSWORD_MIN} autofocus={autofocus} hint={hint} />
      <TextField {...newPassword(fields.confirm)} />
    </>
  );
}

/** The policy in words, for hints next to a new password. */
export const PASSWORD_RULES = `${PASSWORD_MIN} to ${PASSWORD_MAX} characters; not a common password.`;
