/** @module tickets/views/board — a column per status; cards move by drag and drop or by their "Move to…" control. */
import { STATUSES, type Project, type Status } from '../../db/schema';
import { BOARD_COLUMN_LIMIT, type TicketRow } from '../queries';
import { PriorityBadge, STATUS_LABELS, STATUS_OPTIONS, ticketKey } from './common';
import { on } from '../../web/events';
import { projectPath, projectPagePath, ticketPath } from '../../web/paths';

const COUNT_OF: Record<Status, keyof Project> = {
  OPEN: 'openCount',
  IN_PROGRESS: 'inProgressCount',
  REVIEW: 'reviewCount',
  DONE: 'doneCount',
};

function Card({ projectKey, row }: { projectKey: string; row: TicketRow }) {
  const href = ticketPath(projectKey, row.number);
  const statusUrl = ticketPath(projectKey, row.number, '/status');
  const key = ticketKey(projectKey, row.number);
  const selectId = `move-${row.number}`;
  return (
    <li class="card" draggable="true" data-status-url={statusUrl} data-status={row.status} data-ticket={key}>
      <a href={href} hx-get={href} hx-target="#dialog" class="card-title">
        {row.title}
      </a>
      <p class="card-meta">
        <span>{key}</span> <PriorityBadge priority={row.priority} />{' '}
        <span class="muted">{row.assigneeName ?? 'Unassigned'}</span>
      </p>
      <form class="move" method="post" action={statusUrl} hx-post={statusUrl} hx-swap="none">
        <label for={selectId} class="visually-hidden">
          {`Move ${key} to`}
        </label>
        <select name="status" id={selectId}>
          {STATUS_OPTIONS.map((o) => (
            <option value={o.value} selected={o.value === row.status}>
              {o.label}
            </option>
          ))}
        </select>
        <button type="submit" class="secondary outline small" aria-label={`Move ${key}`}>
          Move
        </button>
      </form>
    </li>
  );
}

/** The board container; it refetches itself (outerHTML) whenever a ticket changes. */
export function Board({ project, columns }: { project: Project; columns: Record<Status, TicketRow[]> }) {
  const key = project.key;
  return (
    <div
      id="board"
      class="board"
      hx-get={projectPagePath(key, 'board')}
      hx-trigger={on('ticketListUpdated')}
      hx-swap="outerHTML"
    >
      {STATUSES.map((status) => {
        const total = project[COUNT_OF[status]] as number;
        const rows = columns[status];
        return (
          <section class="board-column" data-drop-status={status} aria-labelledby={`col-${status}`}>
            <h2 id={`col-${status}`}>
              {STATUS_LABELS[status]} <span class="muted">{total}</span>
            </h2>
            <ul>
              {rows.length === 0 ? <li class="board-empty muted">No tickets</li> : null}
              {rows.map((row) => (
                <Card projectKey={key} row={row} />
              ))}
            </ul>
            {total > rows.length && rows.length >= BOARD_COLUMN_LIMIT ? (
              <a href={projectPath(key, `?status=${status}&sort=updated`)}>{`All ${total} in the list`}</a>
            ) : null}
          </section>
        );
      })}
    </div>
  );
}
