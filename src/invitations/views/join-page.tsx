/** @module invitations/views/join-page — what a link's visitor sees: the join form or why it cannot be used. */
import type { FieldErrors } from '../../views/fields';
import { FormAlert } from '../../views/fields';
import { NewPasswordFields, PASSWORD_RULES, PersonNameField } from '../../views/account-fields';
import type { JoinInvitation } from '../queries';
import { TimeText } from '../../views/time';
import { SignOut } from '../../views/layout';
import { ROLE_LABELS } from './format';

type Invite = Pick<JoinInvitation, 'email' | 'role' | 'projectName' | 'senderName' | 'expiresAt'>;

function joinPath(token: string): string {
  return `/join/${token}/`;
}

function Invited({ invitation }: { invitation: Invite }) {
  const who = invitation.senderName ?? 'You are';
  const verb = invitation.senderName ? ' invited you' : ' invited';
  return (
    <p>
      {who}
      {verb} to {invitation.projectName ? <strong>{invitation.projectName}</strong> : 'hticket'} as a{' '}
      {ROLE_LABELS[invitation.role].toLowerCase()}. The invitation expires <TimeText ms={invitation.expiresAt} />.
    </p>
  );
}

export function JoinForm({
  token,
  invitation,
  values = {},
  errors = {},
}: {
  token: string;
  invitation: Invite;
  values?: Record<string, string>;
  errors?: FieldErrors;
}) {
  return (
    <article class="join-page" aria-labelledby="join-title">
      <h1 id="join-title">Join {invitation.projectName ?? 'hticket'}</h1>
      <Invited invitation={invitation} />
      <form method="post" action={joinPath(token)}>
        <FormAlert message={errors._form} />
        <div>
          <label for="field-email">Email</label>
          <input
            type="email"
            name="email"
            value={invitation.email}
            readonly
            autocomplete="username"
            id="field-email"
            aria-describedby="email-hint"
          />
          <small id="email-hint">The address you were invited at; it becomes your sign-in.</small>
        </div>
        <PersonNameField label="Your name" value={values.name} errors={errors} autofocus />
        <NewPasswordFields
          errors={errors}
          hint={PASSWORD_RULES}
          fields={{
            password: { name: 'password', label: 'Password' },
            confirm: { name: 'confirm', label: 'Confirm password' },
          }}
        />
        <button type="submit">Create my account</button>
      </form>
    </article>
  );
}

/** The one answer for unknown, malformed, expired, used and revoked links: it must not tell them apart. */
export function JoinUnavailable() {
  return (
    <article class="error-page" aria-labelledby="join-title">
      <h1 id="join-title">This invitation link cannot be used</h1>
      <p>
        The link may be incomplete, may have expired, or may have been used or replaced by a newer invitation. Ask the
        person who invited you to send a new one.
      </p>
      <p>
        <a href="/login">Sign in</a> if you already have an account.
      </p>
    </article>
  );
}

/** A signed-in user opened a link sent to their own address: one button joins (GET never changes anything). */
export function AcceptInvitation({ token, invitation }: { token: string; invitation: Invite }) {
  return (
    <article class="join-page" aria-labelledby="join-title">
      <h1 id="join-title">{invitation.projectName ? `Join ${invitation.projectName}` : 'Your invitation'}</h1>
      <Invited invitation={invitation} />
      <form method="post" action={joinPath(token)}>
        <button type="submit">{invitation.projectName ? `Open ${invitation.projectName}` : 'Continue'}</button>
      </form>
    </article>
  );
}

export function OtherAddress({ invitation, signedInAs }: { invitation: Invite; signedInAs: string }) {
  return (
    <article class="join-page" aria-labelledby="join-title">
      <h1 id="join-title">This invitation is for another address</h1>
      <p>
        It was sent to <strong>{invitation.email}</strong>, and you are signed in as <strong>{signedInAs}</strong>. Sign
        out first, then open the link again.
      </p>
      <SignOut class="secondary" />
    </article>
  );
}

export function SignInToAccept({ token, invitation }: { token: string; invitation: Invite }) {
  const next = encodeURIComponent(joinPath(token));
  return (
    <article class="join-page" aria-labelledby="join-title">
      <h1 id="join-title">You already have an account</h1>
      <p>
        There is an account for <strong>{invitation.email}</strong>.{' '}
        {invitation.projectName ? `Sign in to join ${invitation.projectName}.` : 'Sign in to continue.'}
      </p>
      <p>
        <a href={`/login?next=${next}`} role="button">
          Sign in
        </a>
      </p>
    </article>
  );
}
