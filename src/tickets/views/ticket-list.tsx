/** @module tickets/views/ticket-list — the project page's filters and table; the rows are also the list partial. */
import type { Child } from 'hono/jsx';
import type { Project } from '../../db/schema';
import type { SelectOption } from '../../views/fields';
import type { ListQuery, Sort } from '../schemas';
import type { Member } from '../sql';
import type { TicketPage, TicketRow } from '../queries';
import { dueView, formatDay, PRIORITY_OPTIONS, priorityClass, STATUS_OPTIONS, statusClass } from './common';
import { PRIORITY_LABELS, STATUS_LABELS, ticketKey } from '../../views/labels';
import { on } from '../../web/events';
import { projectPath, projectPagePath, ticketPath } from '../../web/paths';

/** The filters as a query string (empty values and the default sort left out), optionally with a cursor. */
export function listSearch(query: ListQuery, after?: string | null): string {
  const params = new URLSearchParams();
  if (query.status) params.set('status', query.status);
  if (query.priority) params.set('priority', query.priority);
  if (query.assignee) params.set('assignee', query.assignee);
  if (query.q) params.set('q', query.q);
  if (query.due) params.set('due', query.due);
  if (query.sort !== 'created') params.set('sort', query.sort);
  if (after) params.set('after', after);
  const text = params.toString();
  return text ? `?${text}` : '';
}

const COLUMNS = 5;

/**
 * One row: kept lean, a 50-row page must stay under 12 KB. A due date shares the title's cell (after the key), so a
 * ticket without one costs no byte. The key shares the title's cell (muted by CSS, and the
 * head of the card on a phone); status and priority are badges drawn by CSS from the cell's class (`s-…`, `p-…`, as
 * `StatusBadge` and `PriorityBadge` elsewhere), so a row carries no extra element. The row links open the ticket
 * modal (target inherited).
 */
export function Row({ projectKey, row }: { projectKey: string; row: TicketRow }) {
  const href = ticketPath(projectKey, row.number);
  const due = dueView(row.dueDate, row.status === 'DONE');
  return (
    <tr>
      <td>
        {ticketKey(projectKey, row.number)}{' '}
        {due.text ? (
          <>
            <span class={due.class ? `due ${due.class}` : 'due'} {...due.attrs}>
              {due.text}
            </span>{' '}
          </>
        ) : null}
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
  const more = page.next
    ? {
        href: projectPath(key, listSearch(query, page.next)),
        partial: projectPagePath(key, 'tickets', listSearch(query, page.next)),
      }
    : null;
  return (
    <PageRows rows={page.rows} projectKey={() => key} more={more}>
      {first && page.rows.length === 0 ? <EmptyRows project={project} query={query} /> : null}
    </PageRows>
  );
}

/**
 * One page of ticket rows (from one project or several), `children` after them (what an empty first page says),
 * and the "Load more" row when there is a next page (`more`).
 */
export function PageRows<R extends TicketRow>({
  rows,
  projectKey,
  more,
  children,
}: {
  rows: readonly R[];
  projectKey: (row: R) => string;
  more: { href: string; partial: string } | null;
  children?: Child;
}) {
  return (
    <>
      {rows.map((row) => (
        <Row projectKey={projectKey(row)} row={row} />
      ))}
      {children}
      {more ? <LoadMoreRow href={more.href} partial={more.partial} /> : null}
    </>
  );
}

/** The row that replaces itself with the next page of a ticket list (`partial`; `href` without JavaScript). */
export function LoadMoreRow({ href, partial }: { href: string; partial: string }) {
  return (
    <tr class="load-more">
      <td colspan={COLUMNS}>
        <a
          href={href}
          hx-get={partial}
          hx-target="closest tr"
          hx-swap="outerHTML"
          role="button"
          class="secondary outline small"
        >
          Load more
        </a>
      </td>
    </tr>
  );
}

/** A filter that is off by default: `any` (the empty value), then the field's own values. */
export function anyOf(any: string, options: SelectOption[]): SelectOption[] {
  return [{ value: '', label: any }, ...options];
}

function hasFilters(query: ListQuery): boolean {
  return Boolean(query.status || query.priority || query.assignee || query.q || query.due);
}

/** An empty first page: a project without tickets offers the first one; filters that match nothing can be cleared. */
function EmptyRows({ project, query }: { project: Project; query: ListQuery }) {
  const total = project.openCount + project.inProgressCount + project.reviewCount + project.doneCount;
  const create = projectPagePath(project.key, 't', '/new');
  return (
    <tr>
      <td colspan={COLUMNS} class="muted empty-rows">
        {total === 0 && !hasFilters(query) ? (
          <>
            {'No tickets yet. '}
            <a href={create} hx-get={create}>
              Create the first ticket
            </a>
          </>
        ) : (
          <>
            {'No tickets match these filters. '}
            <a href={projectPath(project.key)}>Clear filters</a>
          </>
        )}
      </td>
    </tr>
  );
}

/** The orders a ticket list offers. */
export const SORT_OPTIONS: SelectOption[] = [
  { value: 'created', label: 'Newest first' },
  { value: 'oldest', label: 'Oldest first' },
  { value: 'updated', label: 'Recently updated' },
  { value: 'priority', label: 'Highest priority' },
  { value: 'due', label: 'Due date' },
];

/** The due-date filter (days in UTC). */
export const DUE_OPTIONS: SelectOption[] = [
  { value: '', label: 'Any due date' },
  { value: 'overdue', label: 'Overdue' },
  { value: 'week', label: 'Due this week' },
];

/** One filter of a ticket list (a project's, My issues). */
export function Select({
  name,
  label,
  value,
  options,
}: {
  name: string;
  label: string;
  value: string | undefined;
  options: SelectOption[];
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

/**
 * A ticket list's filters: the search words, `lead` (filters of its own before the shared ones), status and
 * priority, `children` (after them), the sort, then Filter (for pages without htmx) and Clear filters.
 */
export function FilterForm({
  id,
  page,
  partial,
  rows,
  query,
  lead,
  children,
}: {
  id: string;
  /** The page the form submits to without htmx, and where Clear filters leads. */
  page: string;
  /** The rows partial htmx fetches into `rows` as the user types or chooses. */
  partial: string;
  rows: string;
  query: Pick<ListQuery, 'q' | 'status' | 'priority' | 'due' | 'sort'>;
  lead?: Child;
  children?: Child;
}) {
  return (
    <form
      id={id}
      class="filters"
      role="search"
      method="get"
      action={page}
      hx-get={partial}
      hx-target={rows}
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
      {lead}
      <Select name="status" label="Status" value={query.status} options={anyOf('Any status', STATUS_OPTIONS)} />
      <Select
        name="priority"
        label="Priority"
        value={query.priority}
        options={anyOf('Any priority', PRIORITY_OPTIONS)}
      />
      {children}
      <Select name="due" label="Due date" value={query.due} options={DUE_OPTIONS} />
      <Select name="sort" label="Sort by" value={query.sort} options={SORT_OPTIONS} />
      <button type="submit" class="secondary">
        Filter
      </button>
      <a href={page} class="clear-filters">
        Clear filters
      </a>
    </form>
  );
}

export function TicketFilters({ project, query, members }: { project: Project; query: ListQuery; members: Member[] }) {
  const key = project.key;
  return (
    <FilterForm
      id="ticket-filters"
      page={projectPath(key)}
      partial={projectPagePath(key, 'tickets')}
      rows="#ticket-rows"
      query={query}
    >
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
    </FilterForm>
  );
}

/** The sorts that read their column upwards (earliest first). */
const ASCENDING: ReadonlySet<Sort> = new Set(['oldest', 'due']);

/**
 * A column header that sorts: a link to the list in its sort (the second one of `sorts` when the first is on, so
 * Created goes newest → oldest), marked with `aria-sort`. With htmx, app.js sets the filter form's sort instead.
 */
function SortHeader({
  project,
  query,
  label,
  sorts,
  field,
}: {
  project: Project;
  query: ListQuery;
  label: string;
  sorts: [Sort, ...Sort[]];
  field?: string;
}) {
  const current = sorts.indexOf(query.sort);
  const next = sorts[(current + 1) % sorts.length]!;
  const ariaSort = current < 0 ? undefined : ASCENDING.has(query.sort) ? 'ascending' : 'descending';
  return (
    <th scope="col" data-field={field} aria-sort={ariaSort}>
      <a
        href={projectPath(project.key, listSearch({ ...query, sort: next }))}
        data-sort={next}
        data-sorts={sorts.join(' ')}
      >
        {label}
      </a>
    </th>
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
        {/* A phone shows the rows as cards, without the headers (see app.css). */}
        <thead class="narrow-hidden">
          <tr>
            <th scope="col">Ticket</th>
            {/* app.js makes these columns' cells change the ticket in place (status, priority, assignee). */}
            <th scope="col" data-field="status">
              Status
            </th>
            <SortHeader project={project} query={query} label="Priority" sorts={['priority']} field="priority" />
            <th scope="col" data-field="assignee">
              Assignee
            </th>
            <SortHeader project={project} query={query} label="Created" sorts={['created', 'oldest']} />
          </tr>
        </thead>
        <tbody id="ticket-rows" {...{ 'hx-target:inherited': '#dialog' }}>
          <TicketRows project={project} query={query} page={page} first />
        </tbody>
      </table>
    </div>
  );
}
