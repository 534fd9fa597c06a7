/** @module tickets/views/my-tickets — My issues: my tickets across my projects, filtered and paged like a list. */
import type { MyQuery } from '../schemas';
import type { MyRow } from '../queries';
import { PRIORITY_OPTIONS, STATUS_OPTIONS } from './common';
import { anyOf, DUE_OPTIONS, listSearch, LoadMoreRow, Row, Select, SORT_OPTIONS } from './ticket-list';
import { on } from '../../web/events';

export const MY_PATH = '/my';

/** My issues' filters as a query string (the list's, plus `role`), optionally with a cursor. */
export function mySearch(query: MyQuery, after?: string | null): string {
  const params = new URLSearchParams(listSearch({ ...query, assignee: undefined }, after).slice(1));
  if (query.role) params.set('role', query.role);
  const text = params.toString();
  return text ? `?${text}` : '';
}

const COLUMNS = 5;

export function MyRows({
  query,
  page,
  first,
}: {
  query: MyQuery;
  page: { rows: MyRow[]; next: string | null };
  first: boolean;
}) {
  return (
    <>
      {page.rows.map((row) => (
        <Row projectKey={row.projectKey} row={row} />
      ))}
      {first && page.rows.length === 0 ? (
        <tr>
          <td colspan={COLUMNS} class="muted">
            {'No tickets here. '}
            <a href={MY_PATH}>Clear filters</a>
          </td>
        </tr>
      ) : null}
      {page.next ? (
        <LoadMoreRow
          href={`${MY_PATH}${mySearch(query, page.next)}`}
          partial={`${MY_PATH}/tickets${mySearch(query, page.next)}`}
        />
      ) : null}
    </>
  );
}

export function MyTickets({ query, page }: { query: MyQuery; page: { rows: MyRow[]; next: string | null } }) {
  return (
    <>
      <h1>My issues</h1>
      <form
        id="my-filters"
        class="filters"
        role="search"
        method="get"
        action={MY_PATH}
        hx-get={`${MY_PATH}/tickets`}
        hx-target="#my-rows"
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
          name="role"
          label="Whose"
          value={query.role}
          options={[
            { value: '', label: 'Assigned to me or reported by me' },
            { value: 'assigned', label: 'Assigned to me' },
            { value: 'reported', label: 'Reported by me' },
          ]}
        />
        <Select name="status" label="Status" value={query.status} options={anyOf('Any status', STATUS_OPTIONS)} />
        <Select
          name="priority"
          label="Priority"
          value={query.priority}
          options={anyOf('Any priority', PRIORITY_OPTIONS)}
        />
        <Select name="due" label="Due date" value={query.due} options={DUE_OPTIONS} />
        <Select name="sort" label="Sort by" value={query.sort} options={SORT_OPTIONS} />
        <button type="submit" class="secondary">
          Filter
        </button>
        <a href={MY_PATH} class="clear-filters">
          Clear filters
        </a>
      </form>
      <div class="overflow-auto">
        {/* Refetches the first page with the current filters whenever a ticket changes (in the modal). */}
        <div
          hidden
          hx-get={`${MY_PATH}/tickets`}
          hx-include="#my-filters"
          hx-trigger={on('ticketListUpdated')}
          hx-target="#my-rows"
        ></div>
        <table class="ticket-table my-table striped">
          <thead>
            <tr>
              <th scope="col">Ticket</th>
              <th scope="col">Status</th>
              <th scope="col">Priority</th>
              <th scope="col">Assignee</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody id="my-rows" {...{ 'hx-target:inherited': '#dialog' }}>
            <MyRows query={query} page={page} first />
          </tbody>
        </table>
      </div>
    </>
  );
}
