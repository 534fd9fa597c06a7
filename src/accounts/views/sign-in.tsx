/** @module accounts/views/sign-in — the sign-in form. */
import { FormAlert, type FieldErrors } from '../../views/fields';
import { CurrentPasswordField, EmailField } from '../../views/account-fields';
import { AuthCard, Notice } from './auth-card';

export interface SignInFormProps {
  email?: string | undefined;
  next: string;
  errors?: FieldErrors | undefined;
  notice?: string | undefined;
}

export function SignInForm({ email, next, errors, notice }: SignInFormProps) {
  return (
    <AuthCard
      title="Sign in to hticket"
      footer={<small class="muted">hticket is invite-only: ask your manager for an invitation.</small>}
    >
      <Notice message={notice} />
      <FormAlert message={errors?._form} />
      <form method="post" action="/login">
        {next !== '/' ? <input type="hidden" name="next" value={next} /> : null}
        <EmailField value={email} errors={errors} />
        <CurrentPasswordField name="password" label="Password" errors={errors} />
        <button type="submit">Sign in</button>
      </form>
      <p>
        <a href="/password-reset">Forgot your password?</a>
      </p>
    </AuthCard>
  );
}
