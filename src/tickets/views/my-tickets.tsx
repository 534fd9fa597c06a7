/** @module tickets/views/my-tickets — My issues: my tickets across my projects, filtered and paged like a list. */
import type { MyQuery } from '../schemas';
import type { MyRow } from '../queries';
import { FilterForm, listSearch, PageRows, Select } from './ticket-list';
import { on } from '../../web/events';
import { ColumnHeads } from '../../views/table';

export const MY_PATH = '/my';

/** My issues' filters as a query string (the list's, plus `role`), optionally with a cursor. */
export function mySearch(query: MyQuery, after?: string | null): string {
  const params = new URLSearchParams(listSearch({ ...query, assignee: undefined }, after).slice(1));
  if (query.role) params.set('role', query.role);
  const text = params.toString();
  return text ? `?${text}` : '';
}

const COLUMNS = ['Ticket', 'Status', 'Priority', 'Assignee', 'Created'] as const;

export function MyRows({
  query,
  page,
  first,
}: {
  query: MyQuery;
  page: { rows: MyRow[]; next: string | null };
  first: boolean;
}) {
  const more = page.next
    ? { href: `${MY_PATH}${mySearch(query, page.next)}`, partial: `${MY_PATH}/tickets${mySearch(query, page.next)}` }
    : null;
  return (
    <PageRows rows={page.rows} projectKey={(row) => row.projectKey} more={more}>
      {first && page.rows.length === 0 ? (
        <tr>
          <td colspan={COLUMNS.length} class="muted">
            {'No tickets here. '}
            <a href={MY_PATH}>Clear filters</a>
          </td>
        </tr>
      ) : null}
    </PageRows>
  );
}

export function MyTickets({ query, page }: { query: MyQuery; page: { rows: MyRow[]; next: string | null } }) {
  return (
    <>
      <h1>My issues</h1>
      <FilterForm
        id="my-filters"
        page={MY_PATH}
        partial={`${MY_PATH}/tickets`}
        rows="#my-rows"
        query={query}
        lead={
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
        }
      />
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
          {/* A phone shows the rows as cards, without the headers (see app.css). */}
          <ColumnHeads labels={COLUMNS} class="narrow-hidden" />
          <tbody id="my-rows" {...{ 'hx-target:inherited': '#dialog' }}>
            <MyRows query={query} page={page} first />
          </tbody>
        </table>
      </div>
    </>
  );
}
