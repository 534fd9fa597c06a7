/** @module accounts/views/profile — the profile modal: name and notifications, picture, password. */
import type { User } from '../../db/schema';
import { Avatar } from '../../views/avatar';
import { SelectField, type FieldErrors } from '../../views/fields';
import { DELIVERIES, DELIVERY_LABELS, PREFERENCE_KINDS } from '../../notifications/preferences';
import { ModalForm } from '../../views/modal';
import { CurrentPasswordField, NewPasswordFields, PASSWORD_RULES, PersonNameField } from '../../views/account-fields';
import { Notice } from './auth-card';

export interface ProfileProps {
  user: User;
  errors?: FieldErrors | undefined;
  /** What the user typed, when a form comes back with errors. */
  values?: Record<string, string> | undefined;
  notice?: string | undefined;
}

export function ProfileBody({ user, errors, values, notice }: ProfileProps) {
  const name = values?.name ?? user.name;
  const notify = values ? values.notify_email !== undefined && values.notify_email !== '' : user.notifyEmail;
  return (
    <>
      <Notice message={notice} />
      <ModalForm action="/profile">
        <PersonNameField value={name} errors={errors} />
        <p class="muted">
          Signed in as <strong>{user.email}</strong>
        </p>
        <fieldset class="notify-prefs">
          <legend>Notifications</legend>
          <label>
            <input type="checkbox" role="switch" name="notify_email" checked={notify} />
            Email me about tickets I'm on
          </label>
          <p class="muted">
            When this is off, everything goes to your inbox only. When it is on, choose for each kind:
          </p>
          {PREFERENCE_KINDS.map((k) => (
            <SelectField
              name={k.field}
              label={k.label}
              value={values?.[k.field] ?? user[k.column]}
              options={DELIVERIES.map((d) => ({ value: d, label: DELIVERY_LABELS[d] }))}
              errors={errors}
            />
          ))}
        </fieldset>
        <div class="actions">
          <button type="submit">Save profile</button>
        </div>
      </ModalForm>
      <hr />
      <form
        method="post"
        action="/profile/avatar"
        enctype="multipart/form-data"
        hx-post="/profile/avatar"
        hx-encoding="multipart/form-data"
        hx-target="#dialog"
      >
        <fieldset>
          <legend>Picture</legend>
          <div class="avatar-row">
            <Avatar user={user} size={40} />
            <input
              type="file"
              name="avatar"
              accept="image/png,image/jpeg,image/webp"
              aria-label="Picture file"
              aria-describedby={errors?.avatar ? 'avatar-error avatar-hint' : 'avatar-hint'}
              {...(errors?.avatar ? { 'aria-invalid': 'true' } : {})}
            />
          </div>
          <small id="avatar-hint">PNG, JPEG or WebP, 512 KB at most.</small>
          {errors?.avatar ? (
            <small id="avatar-error" class="field-error" role="alert">
              {errors.avatar}
            </small>
          ) : null}
        </fieldset>
        <div class="actions">
          <button type="submit">Upload picture</button>
        </div>
      </form>
      {user.avatarKey ? (
        <ModalForm action="/profile/avatar/remove">
          <div class="actions">
            <button type="submit" class="secondary outline">
              Remove picture
            </button>
          </div>
        </ModalForm>
      ) : null}
      <hr />
      <ModalForm action="/profile/password">
        <fieldset>
          <legend>Change password</legend>
          <CurrentPasswordField name="current_password" label="Current password" errors={errors} />
          <NewPasswordFields errors={errors} hint={`${PASSWORD_RULES} Your other sessions are signed out.`} />
        </fieldset>
        <div class="actions">
          <button type="submit">Change password</button>
        </div>
      </ModalForm>
    </>
  );
}
