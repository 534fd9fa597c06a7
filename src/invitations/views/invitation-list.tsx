/** @module invitations/views/invitation-list — the invitations page, its refreshing table and one row. */
import { invitationStatus, type InvitationStatus } from '../../auth/invitations';
import type { InvitationRow as Row, ListCursor } from '../queries';
import { ModalForm } from '../../views/modal';
import { TimeText } from '../../views/time';
import { ROLE_LABELS } from './format';
import { on } from '../../web/events';
import { ColumnHeads } from '../../views/table';
import { projectPath } from '../../web/paths';

const STATUS_LABELS: Record<InvitationStatus, string> = {
  pending: 'Pending',
  used: 'Joined',
  expired: 'Expired',
  revoked: 'Revoked',
};

export function cursorParam(cursor: ListCursor): string {
  return `${cursor.createdAt}.${cursor.id}`;
}

export interface ListProps {
  rows: readonly Row[];
  now: number;
  /** The cursor this page starts after (null: the newest). */
  before: ListCursor | null;
  /** The cursor of the next (older) page, when there is one. */
  next: ListCursor | null;
}

function listUrl(before: ListCursor | null): string {
  return before ? `/invitations/list?before=${cursorParam(before)}` : '/invitations/list';
}

export function InvitationsPage(props: ListProps) {
  return (
    <section>
      <div class="page-head">
        <h1>Invitations</h1>
        <a href="/invitations/new" hx-get="/invitations/new" hx-target="#dialog" role="button">
          Invite people
        </a>
      </div>
      <div
        id="invitation-list"
        hx-get={listUrl(props.before)}
        hx-trigger={on('invitationListUpdated')}
        hx-swap="innerHTML"
      >
        <InvitationTable {...props} />
      </div>
    </section>
  );
}

/** The page's list; also the partial that `#invitation-list` refetches when an invitation changes. */
export function InvitationTable({ rows, now, before, next }: ListProps) {
  return (
    <>
      {rows.length === 0 ? (
        <p class="muted">{before ? 'No older invitations.' : 'No invitations yet.'}</p>
      ) : (
        <div class="overflow-auto">
          <table class="invitations">
            <ColumnHeads labels={['Email', 'Role', 'Project', 'Status', 'Email delivery', 'Invited', 'Actions']} />
            <tbody>
              {rows.map((row) => (
                <InvitationRow row={row} now={now} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav class="pager" aria-label="Invitation pages">
        {before ? <a href="/invitations">Newest</a> : null}
        {next ? <a href={`/invitations?before=${cursorParam(next)}`}>Older invitations</a> : null}
      </nav>
    </>
  );
}

function StatusCell({ row, status }: { row: Row; status: InvitationStatus }) {
  const label = STATUS_LABELS[status];
  return (
    <td>
      <mark class={`status status-${status}`}>{label}</mark>
      <br />
      <small class="muted">
        {status === 'pending' ? (
          <>
            expires <TimeText ms={row.expiresAt} />
          </>
        ) : status === 'used' ? (
          <>{row.usedByName ? `as ${row.usedByName}` : null}</>
        ) : status === 'expired' ? (
          <>
            on <TimeText ms={row.expiresAt} absolute />
          </>
        ) : row.revokedAt !== null ? (
          <>
            on <TimeText ms={row.revokedAt} absolute />
          </>
        ) : null}
      </small>
    </td>
  );
}

function DeliveryCell({ row }: { row: Row }) {
  if (row.deliveryState === 'FAILED') {
    return (
      <td>
        <span class="delivery delivery-failed">Failed</span>
        {row.deliveryError ? (
          <>
            <br />
            <small class="field-error">{row.deliveryError}</small>
          </>
        ) : null}
      </td>
    );
  }
  return (
    <td>
      <span class={`delivery delivery-${row.deliveryState.toLowerCase()}`}>
        {row.deliveryState === 'SENT' ? 'Sent' : 'Queued'}
      </span>
    </td>
  );
}

/** One invitation; resend and revoke swap it in place (`closest tr`). */
export function InvitationRow({ row, now }: { row: Row; now: number }) {
  const status = invitationStatus(row, now);
  const open = status === 'pending' || status === 'expired';
  const showLink = status === 'pending' && row.deliveryState === 'FAILED';
  return (
    <tr id={`invitation-${row.id}`}>
      <td>{row.email}</td>
      <td>{ROLE_LABELS[row.role]}</td>
      <td>
        {row.projectKey ? <a href={projectPath(row.projectKey)}>{row.projectName}</a> : <span class="muted">—</span>}
      </td>
      <StatusCell row={row} status={status} />
      <DeliveryCell row={row} />
      <td>
        <TimeText ms={row.createdAt} />
        {row.senderName ? (
          <>
            <br />
            <small class="muted">by {row.senderName}</small>
          </>
        ) : null}
      </td>
      <td class="row-actions">
        {open ? (
          <form
            method="post"
            action={`/invitations/${row.id}/resend`}
            hx-post={`/invitations/${row.id}/resend`}
            hx-target="closest tr"
            hx-swap="outerHTML"
          >
            <button type="submit" class="secondary outline small">
              Resend
            </button>
          </form>
        ) : null}
        {status === 'pending' ? (
          // Without JavaScript the button asks on a page of its own (GET); htmx posts at once, after hx-confirm.
          <form
            method="get"
            action={`/invitations/${row.id}/revoke`}
            hx-post={`/invitations/${row.id}/revoke`}
            hx-target="closest tr"
            hx-swap="outerHTML"
            hx-confirm={`Revoke the invitation for ${row.email}? Its link will stop working.`}
          >
            <button type="submit" class="danger outline small">
              Revoke
            </button>
          </form>
        ) : null}
        {showLink ? (
          <>
            <a
              href={`/invitations/${row.id}/link`}
              hx-get={`/invitations/${row.id}/link`}
              hx-target={`#link-${row.id}`}
              class="small"
            >
              Show link
            </a>
            <div id={`link-${row.id}`}></div>
          </>
        ) : null}
      </td>
    </tr>
  );
}

/** A pending invitation's link, for a manager to pass on when the email could not be delivered. */
export function InvitationLink({ id, email, link }: { id: string; email: string; link: string }) {
  const field = `link-field-${id}`;
  return (
    <div class="invitation-link" role="group" aria-label={`Join link for ${email}`}>
      <input type="text" id={field} value={link} readonly aria-label={`Join link for ${email}`} />
      <button type="button" class="small" data-copy={field}>
        Copy
      </button>
    </div>
  );
}

/** Revoking without JavaScript: the question as a page, Cancel first and focused (a stray Enter keeps the invitation). */
export function RevokeInvitationForm({ row }: { row: Pick<Row, 'id' | 'email'> }) {
  return (
    <ModalForm action={`/invitations/${row.id}/revoke`}>
      <p>{`The invitation link sent to ${row.email} will stop working. They can be invited again later.`}</p>
      <div class="actions">
        <a href="/invitations" role="button" class="secondary" autofocus>
          Cancel
        </a>
        <button type="submit" class="danger">
          Revoke invitation
        </button>
      </div>
    </ModalForm>
  );
}
