/**
 * @module tickets/views/board — a column per status, a page of light cards each with "Show more" by keyset. Cards
 * move by drag and drop or by the board's one "Move to" control, which `client/app.js` places in the card that has
 * the focus; without JavaScript a card opens its ticket, whose form changes the status.
 */
import { STATUS_COUNTS, STATUSES, type Project, type Status } from '../../db/schema';
import type { BoardColumnPage, CardRow } from '../queries';
import { html } from 'hono/html';
import { dueBadge, priorityBadge, STATUS_OPTIONS } from './common';
import { STATUS_LABELS, ticketKey } from '../../views/labels';
import { on } from '../../web/events';
import { projectPath, projectPagePath, ticketPath } from '../../web/paths';

/**
 * A card: the one piece of the board drawn once per ticket, so it is an escaping `html` template rather than JSX
 * (the same markup at a fifth of the rendering cost: no element tree to build and walk for each card). Every value
 * is escaped on the way in. The status URL is the card's link plus `/status`; `app.js` builds it from `href`, so the
 * card carries it once; the column's list gives the link its target (the dialog).
 */
function Card({ projectKey, row }: { projectKey: string; row: CardRow }) {
  const href = ticketPath(projectKey, row.number);
  const assignee = row.assigneeName ?? 'Unassigned';
  const due = dueBadge(row.dueDate, row.status === 'DONE');
  // The markup is whitespace-exact (one space between the pieces of the meta line): prettier keeps out.
  // prettier-ignore
  return html`<li class="card" draggable="true" data-status="${row.status}" data-version="${row.version}"><a href="${href}" hx-get="${href}" class="card-title">${row.title}</a><p class="card-meta">${ticketKey(projectKey, row.number)} ${priorityBadge(row.priority)} <span class="muted">${assignee}</span>${due ? html` ${due}` : ''}</p></li>`;
}

/** A column's cards and, when it goes on, the "Show more" item that swaps itself for the next cards. */
export function ColumnCards({ project, status, page }: { project: Project; status: Status; page: BoardColumnPage }) {
  const more = page.next ? projectPagePath(project.key, 'board', `/${status}?after=${page.next}`) : null;
  // Without JavaScript, "Show more" opens the column as a list, which pages on by itself.
  const list = projectPath(project.key, `?status=${status}&sort=updated`);
  return (
    <>
      {page.cards.map((row) => Card({ projectKey: project.key, row }))}
      {more ? (
        <li class="board-more">
          <a href={list} hx-get={more} hx-target="closest li" hx-swap="outerHTML">
            Show more
          </a>
        </li>
      ) : null}
    </>
  );
}

/** Who else looks at the board or a ticket: filled in by app.js from the project's live connection. */
export function Presence({ look }: { look: string }) {
  return <p class="presence" data-presence={look} aria-live="polite"></p>;
}

/** The one move control of the board: hidden until `app.js` puts it in the focused card. */
function MoveControl() {
  return (
    <form id="board-move" class="move" method="post" hidden>
      <label for="board-move-status" class="visually-hidden">
        Move to
      </label>
      <select name="status" id="board-move-status">
        {STATUS_OPTIONS.map((o) => (
          <option value={o.value}>{o.label}</option>
        ))}
      </select>
      <button type="submit" class="secondary outline small">
        Move
      </button>
    </form>
  );
}

/**
 * The board container; it refetches itself (outerHTML) whenever a ticket changes, or a name on it may have. It scrolls
 * sideways on its own (a phone shows one or two columns), so it is a focusable region a keyboard can scroll.
 */
export function Board({ project, columns }: { project: Project; columns: Record<Status, BoardColumnPage> }) {
  const key = project.key;
  return (
    <div
      id="board"
      class="board"
      hx-get={projectPagePath(key, 'board')}
      hx-trigger={on('ticketListUpdated', 'profileUpdated')}
      hx-swap="outerHTML"
      role="region"
      aria-label="Board"
      tabindex={0}
    >
      <Presence look="board" />
      {STATUSES.map((status) => (
        <section class="board-column" data-drop-status={status} aria-labelledby={`col-${status}`}>
          <h2 id={`col-${status}`}>
            {STATUS_LABELS[status]} <span class="muted">{project[STATUS_COUNTS[status]]}</span>
          </h2>
          <ul {...{ 'hx-target:inherited': '#dialog' }}>
            {columns[status].cards.length === 0 ? <li class="board-empty muted">No tickets</li> : null}
            <ColumnCards project={project} status={status} page={columns[status]} />
          </ul>
        </section>
      ))}
      <MoveControl />
    </div>
  );
}
