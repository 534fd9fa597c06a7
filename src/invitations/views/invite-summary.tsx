/** @module invitations/views/invite-summary — what happened to each address, when some already had an account. */
import type { InviteOutcome, InviteOutcomeKind } from '../service';

const GROUPS: readonly { kinds: readonly InviteOutcomeKind[]; title: (project: string | null) => string }[] = [
  { kinds: ['invited', 'resent'], title: () => 'Invitation sent' },
  {
    kinds: ['added'],
    title: (project) => `Already had an account — added to ${project ?? 'the project'} and told by email`,
  },
  { kinds: ['member'], title: (project) => `Already had an account and already in ${project ?? 'the project'}` },
  { kinds: ['account'], title: () => 'Already had an account — nothing to send' },
];

export function InviteSummary({
  outcomes,
  projectName,
}: {
  outcomes: readonly InviteOutcome[];
  projectName: string | null;
}) {
  return (
    <div class="invite-summary" role="status">
      {GROUPS.map((group) => {
        const emails = outcomes.filter((o) => group.kinds.includes(o.kind)).map((o) => o.email);
        return emails.length > 0 ? (
          <section>
            <h3>{group.title(projectName)}</h3>
            <ul>
              {emails.map((email) => (
                <li>{email}</li>
              ))}
            </ul>
          </section>
        ) : null;
      })}
      <div class="actions">
        <a href="/invitations" role="button" data-close-modal>
          Done
        </a>
      </div>
    </div>
  );
}
