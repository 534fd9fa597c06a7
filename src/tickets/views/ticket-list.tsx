/** @module tickets/views/ticket-list — the project page's filters and table; the rows are also the list partial. */
import type { Project } from '../../db/schema';
import type { ListQuery } from '../schemas';
import type { Member } from '../sql';
import type { TicketPage, TicketRow } from '../queries';
import { formatDay, PRIORITY_OPTIONS, priorityClass, STATUS_OPTIONS, statusClass, ticketKey } from './common';
import { PRIORITY_LABELS, STATUS_LABELS } from './common';
import { on } from '../../web/events';
import { projectPath, projectPagePath, ticketPath } from '../../web/paths';

/** The filters as a query string (empty values and the default sort left out), optionally with a cursor. */
export function listSearch(query: ListQuery, after?: string | null): string {
  const params = new URLSearchParams();
  if (query.status) params.set('status', query.status);
  if (query.priority) params.set('priority', query.priority);
  if (query.assignee) params.set('assignee', query.assignee);
  if (query.q) params.set('q', query.q);
  if (query.sort !== 'created') params.set('sort', query.sort);
  if (after) params.set('after', after);
  const text = params.toString();
  return text ? `?${text}` : '';
}

const COLUMNS = 5;

/**
 * One row: kept lean, a 50-row page must stay under 12 KB. The key shares the title's cell (muted by CSS, and the
 * head of the card on a phone); status and priority are badges drawn by CSS from the cell's class (`s-…`, `p-…`, as
 * `StatusBadge` and `PriorityBadge` elsewhere), so a row carries no extra element. The row links open the ticket
 * modal (target inherited).
 */
function Row({ projectKey, row }: { projectKey: string; row: TicketRow }) {
  const href = ticketPath(projectKey, row.number);
  return (
    <tr>
      <td>
        {ticketKey(projectKey, row.number)}{' '}
        <a href={href} hx-get={href}>
          {row.title}
        </a>
      </td>
      <td class={statusClass(row.status)}>{STATUS_LABELS[row.status]}</td>
      <td class={priorityClass(row.priority)}>{PRIORITY_LABELS[row.priority]}</td>
      <td>{row.assigneeName ?? '—'}</td>
      <td>{formatDay(row.createdAt)}</td>
    </tr>
  );
}

/** The rows of one page and, when there is more, the "Load more" row that replaces itself with the next page. */
export function TicketRows({
  project,
  query,
  page,
  first,
}: {
  project: Project;
  query: ListQuery;
  page: TicketPage;
  first: boolean;
}) {
  const key = project.key;
  return (
    <>
      {page.rows.map((row) => (
        <Row projectKey={key} row={row} />
      ))}
      {first && page.rows.length === 0 ? (
        <tr>
          <td colspan={COLUMNS} class="muted">
            No tickets match these filters.
          </td>
        </tr>
      ) : null}
      {page.next ? (
        <tr class="load-more">
          <td colspan={COLUMNS}>
            <a
              href={projectPath(key, listSearch(query, page.next))}
              hx-get={projectPagePath(key, 'tickets', listSearch(query, page.next))}
              hx-target="closest tr"
              hx-swap="outerHTML"
              role="button"
              class="secondary outline small"
            >
              Load more
            </a>
          </td>
        </tr>
      ) : null}
    </>
  );
}

function Select({
  name,
  label,
  value,
  options,
}: {
  name: string;
  label: string;
  value: string | undefined;
  options: { value: string; label: string }[];
}) {
  return (
    <select name={name} aria-label={label}>
      {options.map((o) => (
        <option value={o.value} selected={o.value === (value ?? '')}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

export function TicketFilters({ project, query, members }: { project: Project; query: ListQuery; members: Member[] }) {
  const key = project.key;
  return (
    <form
      id="ticket-filters"
      class="filters"
      role="search"
      method="get"
      action={projectPath(key)}
      hx-get={projectPagePath(key, 'tickets')}
      hx-target="#ticket-rows"
      hx-trigger="input delay:300ms, submit"
    >
      <input
        type="search"
        name="q"
        value={query.q ?? ''}
        placeholder="Search titles and descriptions"
        aria-label="Search titles and descriptions"
        maxlength={200}
      />
      <Select
        name="status"
        label="Status"
        value={query.status}
        options={[{ value: '', label: 'Any status' }, ...STATUS_OPTIONS]}
      />
      <Select
        name="priority"
        label="Priority"
        value={query.priority}
        options={[{ value: '', label: 'Any priority' }, ...PRIORITY_OPTIONS]}
      />
      <Select
        name="assignee"
        label="Assignee"
        value={query.assignee}
        options={[
          { value: '', label: 'Anyone' },
          { value: 'me', label: 'Assigned to me' },
          { value: 'none', label: 'Unassigned' },
          ...members.map((m) => ({ value: m.id, label: m.name })),
        ]}
      />
      <Select
        name="sort"
        label="Sort by"
        value={query.sort}
        options={[
          { value: 'created', label: 'Newest first' },
          { value: 'updated', label: 'Recently updated' },
          { value: 'priority', label: 'Highest priority' },
        ]}
      />
      <button type="submit" class="secondary">
        Filter
      </button>
    </form>
  );
}

export function TicketTable({ project, query, page }: { project: Project; query: ListQuery; page: TicketPage }) {
  return (
    <div class="overflow-auto">
      {/* Refetches the first page with the current filters whenever a ticket changes, or a name in it may have. */}
      <div
        hidden
        hx-get={projectPagePath(project.key, 'tickets')}
        hx-include="#ticket-filters"
        hx-trigger={on('ticketListUpdated', 'profileUpdated')}
        hx-target="#ticket-rows"
      ></div>
      <table class="ticket-table striped">
        <thead>
          <tr>
            <th scope="col">Ticket</th>
            <th scope="col">Status</th>
            <th scope="col">Priority</th>
            <th scope="col">Assignee</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody id="ticket-rows" {...{ 'hx-target:inherited': '#dialog' }}>
          <TicketRows project={project} query={query} page={page} first />
        </tbody>
      </table>
    </div>
  );
}
