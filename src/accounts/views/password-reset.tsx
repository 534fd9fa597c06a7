/** @module accounts/views/password-reset — asking for a reset link, and choosing the new password. */
import type { FieldErrors } from '../../views/fields';
import { EmailField, NewPasswordFields, PASSWORD_RULES } from '../../views/account-fields';
import { AuthCard } from './auth-card';

export function ResetRequestForm({ email, errors }: { email?: string | undefined; errors?: FieldErrors | undefined }) {
  return (
    <AuthCard title="Reset your password" footer={<a href="/login">Back to sign-in</a>}>
      <p>Enter the email address you sign in with. We will send you a link to choose a new password.</p>
      <form method="post" action="/password-reset">
        <EmailField value={email} errors={errors} />
        <button type="submit">Send the link</button>
      </form>
    </AuthCard>
  );
}

/** The same answer whether or not the address has an account. */
export function ResetRequestSent() {
  return (
    <AuthCard title="Check your email" footer={<a href="/login">Back to sign-in</a>}>
      <p>
        If an account uses that address, we have sent it a link to choose a new password. The link works once, for one
        hour.
      </p>
    </AuthCard>
  );
}

export function NewPasswordForm({ token, errors }: { token: string; errors?: FieldErrors | undefined }) {
  return (
    <AuthCard title="Choose a new password">
      <form method="post" action={`/password-reset/${token}/`}>
        <NewPasswordFields
          errors={errors}
          autofocus
          hint={`${PASSWORD_RULES} A long phrase is easier to remember and harder to guess.`}
        />
        <button type="submit">Set the password</button>
      </form>
    </AuthCard>
  );
}

export function ResetLinkUnusable() {
  return (
    <AuthCard title="This link no longer works" footer={<a href="/login">Back to sign-in</a>}>
      <p>Password reset links work once and expire after one hour.</p>
      <p>
        <a href="/password-reset">Ask for a new link</a>
      </p>
    </AuthCard>
  );
}
