/** @module projects/views/members — the members modal: who is in the project, remove, add existing users. */
import { on } from '../../web/events';
import type { Project } from '../../db/schema';
import { Avatar } from '../../views/avatar';
import { ModalForm } from '../../views/modal';
import { FormAlert, SelectField, type FieldErrors } from '../../views/fields';
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
              {/* One click never removes anyone: it opens the confirmation (a page of its own without JavaScript). */}
              <a
                href={`${base}/${m.userId}/remove`}
                role="button"
                class="danger outline small"
                hx-get={`${base}/${m.userId}/remove`}
                hx-target="#dialog"
                aria-label={`Remove ${m.userName}`}
                data-danger
              >
                Remove
              </a>
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

/** Asks before removing: focus starts on Cancel, which goes back to the members list. */
export function RemoveMemberForm({ project, member }: { project: Project; member: MemberRow }) {
  const base = projectPagePath(project.key, 'members');
  return (
    <ModalForm action={`${base}/${member.userId}/remove`}>
      <p>{`${member.userName} (${member.userEmail}) loses access to ${project.name} and its tickets.`}</p>
      <div class="actions">
        <a href={base} role="button" class="secondary" hx-get={base} hx-target="#dialog" autofocus>
          Cancel
        </a>
        <button type="submit" class="danger">{`Remove ${member.userName}`}</button>
      </div>
    </ModalForm>
  );
}
