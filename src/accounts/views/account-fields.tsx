/** @module accounts/views/account-fields — the sign-in email field and the new-password pair, shared by several forms. */
import { TextField, type FieldErrors } from '../../views/fields';
import { PASSWORD_MAX, PASSWORD_MIN } from '../passwords';

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

/** A new password and its repetition (`new_password`, `confirm_password`). */
export function NewPasswordFields({
  errors,
  hint,
  autofocus,
}: {
  errors?: FieldErrors | undefined;
  hint: string;
  autofocus?: boolean;
}) {
  return (
    <>
      <TextField
        name="new_password"
        label="New password"
        type="password"
        errors={errors}
        required
        minlength={PASSWORD_MIN}
        maxlength={PASSWORD_MAX}
        autocomplete="new-password"
        autofocus={autofocus}
        hint={hint}
      />
      <TextField
        name="confirm_password"
        label="Repeat the new password"
        type="password"
        errors={errors}
        required
        autocomplete="new-password"
      />
    </>
  );
}
