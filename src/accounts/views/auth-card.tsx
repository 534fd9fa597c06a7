/** @module accounts/views/auth-card — the centered card of the pages people see before signing in. */
import type { Child } from 'hono/jsx';

export function AuthCard({ title, children, footer }: { title: string; children?: Child; footer?: Child }) {
  return (
    <article class="auth-card" aria-labelledby="auth-title">
      <header>
        <h1 id="auth-title">{title}</h1>
      </header>
      {children}
      {footer ? <footer>{footer}</footer> : null}
    </article>
  );
}

/** A one-line confirmation above a form (after a password reset, a sign-out...). */
export function Notice({ message }: { message?: string | undefined }) {
  return message ? (
    <p class="form-notice" role="status">
      {message}
    </p>
  ) : null;
}
