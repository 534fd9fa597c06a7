/** @module projects/views/members — the members modal: who is in the project, remove, add existing users. */
import { on } from '../../web/events';
import type { Project } from '../../db/schema';
import { Avatar } from '../../views/avatar';
import { ModalForm } from '../../views/modal';
import { SAFE_SUBMIT, FormAlert, SelectField, type FieldErrors } from '../../views/fields';
import type { Candidate, MemberRow } from '../service';
import { projectPagePath } from '../../web/paths';

export interface MembersProps {
  project: Project;
  members: readonly MemberRow[];
  candidates: readonly Candidate[];
  errors?: FieldErrors;
}

export function MembersPanel({ project, members, candidates, errors }: MembersProps) {
  const base = projectPagePath(project.key, 'members');
  return (
    // Refetches itself when the members change (here or, through the live connection, in another page).
    <div id="members-panel" hx-get={base} hx-trigger={on('memberListUpdated')} hx-target="#dialog">
      {members.length > 0 ? (
        <ul class="member-list">
          {members.map((m) => (
            <li id={`member-${m.userId}`}>
              <Avatar user={{ id: m.userId, name: m.userName, avatarKey: m.userAvatarKey }} />
              <span class="member-who">
                <strong>{m.userName}</strong>
                <small class="muted">{m.userEmail}</small>
              </span>
              <form
                method="post"
                action={`${base}/${m.userId}/remove`}
                hx-post={`${base}/${m.userId}/remove`}
                hx-target="#dialog"
                hx-confirm={`Remove ${m.userName} from ${project.name}? They lose access to its tickets.`}
                {...SAFE_SUBMIT}
              >
                <button type="submit" class="danger outline small" aria-label={`Remove ${m.userName}`} data-danger>
                  Remove
                </button>
              </form>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">No members yet. Add people below; managers can open every project anyway.</p>
      )}
      <ModalForm action={base} class="add-member">
        {candidates.length > 0 ? (
          <>
            <SelectField
              name="userId"
              label="Add people"
              errors={errors}
              required
              options={[
                { value: '', label: 'Choose a person…' },
                ...candidates.map((u) => ({ value: u.id, label: `${u.name} (${u.email})` })),
              ]}
            />
            <button type="submit">Add to project</button>
          </>
        ) : (
          <>
            <FormAlert message={errors?.userId} />
            <p class="muted">
              Everyone is already a member. <a href="/invitations">Invite someone new</a> to add them here.
            </p>
          </>
        )}
      </ModalForm>
    </div>
  );
}
