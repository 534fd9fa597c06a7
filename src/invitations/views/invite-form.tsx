/** @module invitations/views/invite-form — the invite modal: addresses, role, optional project. */
import { ROLES } from '../../db/schema';
import { FormAlert, FormKey, SelectField, TextArea, type FieldErrors } from '../../views/fields';
import { ModalActions, ModalForm } from '../../views/modal';
import { MAX_INVITES_PER_SUBMISSION } from '../schemas';
import { ROLE_LABELS } from './format';

export interface ProjectChoice {
  id: string;
  key: string;
  name: string;
}

export function InviteForm({
  projects,
  values = {},
  errors = {},
}: {
  projects: readonly ProjectChoice[];
  values?: Record<string, string>;
  errors?: FieldErrors;
}) {
  return (
    <ModalForm action="/invitations">
      <FormKey value={values.form_key} />
      <FormAlert message={errors._form} />
      <TextArea
        name="emails"
        label="Email addresses"
        rows={5}
        required
        value={values.emails}
        errors={errors}
        hint={`One per line, up to ${MAX_INVITES_PER_SUBMISSION}.`}
      />
      <SelectField
        name="role"
        label="Role"
        value={values.role ?? 'MEMBER'}
        errors={errors}
        options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
        hint="Managers can create projects and invite people."
      />
      <SelectField
        name="project"
        label="Project (optional)"
        value={values.project ?? ''}
        errors={errors}
        options={[
          { value: '', label: 'No project' },
          ...projects.map((p) => ({ value: p.id, label: `${p.name} (${p.key})` })),
        ]}
        hint="The invitee joins this project when they accept."
      />
      <ModalActions submit="Send invitations" />
    </ModalForm>
  );
}
