/**
 * @module tickets/views/ticket-fields — status, priority and assignee changed in place: the ticket modal's fields
 * form and a list row's editor. Both post to the same service plan as the edit form (tickets/service).
 */
import type { Priority, Status } from '../../db/schema';
import { SAFE_SUBMIT, type FieldErrors, type SelectOption } from '../../views/fields';
import { TimeText } from '../../views/time';
import { ticketPath } from '../../web/paths';
import type { Member } from '../sql';
import { DueBadge, PRIORITY_OPTIONS, STATUS_OPTIONS } from './common';
import { DUE_MAX, DUE_MIN } from '../../lib/due-dates';
import { ticketKey } from '../../views/labels';

/** What the in-place controls need of a ticket. */
export interface FieldsTicket {
  number: number;
  status: Status;
  priority: Priority;
  assigneeId: string | null;
  assigneeName: string | null;
  dueDate: string | null;
  /** The version these controls were rendered from: a change from an older one is refused (409). */
  version: number;
}

/** The assignee choices: nobody, the members, and a current assignee who has since left (who may stay). */
export function assigneeOptions(ticket: FieldsTicket, members: Member[]) {
  const options = [{ value: '', label: 'Unassigned' }, ...members.map((m) => ({ value: m.id, label: m.name }))];
  if (ticket.assigneeId && !members.some((m) => m.id === ticket.assigneeId)) {
    options.push({ value: ticket.assigneeId, label: ticket.assigneeName ?? 'A former user' });
  }
  return options;
}

function Options({ options, value }: { options: readonly SelectOption[]; value: string }) {
  return (
    <>
      {options.map((o) => (
        <option value={o.value} selected={o.value === value}>
          {o.label}
        </option>
      ))}
    </>
  );
}

/**
 * The ticket modal's fields. With htmx each change saves at once (the form answers with itself); without it the
 * Save button posts the form and the server redirects back to the ticket.
 */
export function TicketFieldsForm({
  projectKey,
  ticket,
  members,
  reporterName,
  createdAt,
  updatedAt,
  errors,
}: {
  projectKey: string;
  ticket: FieldsTicket;
  members: Member[];
  reporterName: string | null;
  createdAt: number;
  updatedAt: number;
  errors?: FieldErrors | undefined;
}) {
  const action = ticketPath(projectKey, ticket.number, '/fields');
  const field = (
    name: 'status' | 'priority' | 'assignee',
    label: string,
    options: readonly SelectOption[],
    value: string,
  ) => (
    <div>
      <dt>
        <label for={`ticket-${name}`}>{label}</label>
      </dt>
      <dd>
        <select
          id={`ticket-${name}`}
          name={name}
          aria-invalid={errors?.[name] ? 'true' : undefined}
          aria-describedby={errors?.[name] ? `ticket-${name}-error` : undefined}
        >
          <Options options={options} value={value} />
        </select>
        {errors?.[name] ? (
          <small id={`ticket-${name}-error`} class="field-error" role="alert">
            {errors[name]}
          </small>
        ) : null}
      </dd>
    </div>
  );
  return (
    <form
      id="ticket-fields"
      class="ticket-fields-form"
      method="post"
      action={action}
      hx-post={action}
      // A select saves when it changes; the date a second after its last change: typing a date digit by digit
      // changes it on the way (year 0002…), and each answer replaces the form.
      hx-trigger="change target:select, change target:.due-input delay:1s, submit"
      hx-target="this"
      hx-swap="outerHTML"
      {...SAFE_SUBMIT}
    >
      <input type="hidden" name="version" value={String(ticket.version)} />
      <dl class="ticket-fields">
        {field('status', 'Status', STATUS_OPTIONS, ticket.status)}
        {field('priority', 'Priority', PRIORITY_OPTIONS, ticket.priority)}
        {field('assignee', 'Assignee', assigneeOptions(ticket, members), ticket.assigneeId ?? '')}
        <div>
          <dt>
            <label for="ticket-due_date">Due date</label>
          </dt>
          <dd>
            <input
              type="date"
              id="ticket-due_date"
              name="due_date"
              class="due-input"
              value={ticket.dueDate ?? ''}
              min={DUE_MIN}
              max={DUE_MAX}
              aria-invalid={errors?.due_date ? 'true' : undefined}
              aria-describedby={errors?.due_date ? 'ticket-due_date-error' : undefined}
            />{' '}
            <DueBadge due={ticket.dueDate} done={ticket.status === 'DONE'} />
            {errors?.due_date ? (
              <small id="ticket-due_date-error" class="field-error" role="alert">
                {errors.due_date}
              </small>
            ) : null}
          </dd>
        </div>
        <div>
          <dt>Reporter</dt>
          <dd>{reporterName ?? 'A former user'}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>
            <TimeText ms={createdAt} />
          </dd>
        </div>
        <div>
          <dt>Updated</dt>
          <dd>
            <TimeText ms={updatedAt} />
          </dd>
        </div>
      </dl>
      {errors?._form ? (
        <p class="field-error" role="alert">
          {errors._form}
        </p>
      ) : null}
      <button type="submit" class="secondary save-fields">
        Save
      </button>
    </form>
  );
}

/**
 * A list row's editor, in place of the row: each select saves its own field on change (it is in no form, so htmx
 * sends its value alone) and the answer is the plain row again. Escape or Done goes back without a change.
 */
export function EditRowCells({
  projectKey,
  ticket,
  members,
  title,
  error,
}: {
  projectKey: string;
  ticket: FieldsTicket;
  members: Member[];
  title: string;
  error?: string | undefined;
}) {
  const key = ticketKey(projectKey, ticket.number);
  const row = ticketPath(projectKey, ticket.number, '/row');
  const select = (
    name: 'status' | 'priority' | 'assignee',
    label: string,
    options: readonly SelectOption[],
    value: string,
  ) => (
    <td>
      <select
        name={name}
        aria-label={`${label} of ${key}`}
        data-field={name}
        hx-post={row}
        hx-vals={`{"version":"${ticket.version}"}`}
        hx-trigger="change"
        hx-target="closest tr"
        hx-swap="outerHTML"
      >
        <Options options={options} value={value} />
      </select>
    </td>
  );
  return (
    <tr class="row-edit" data-row={row}>
      <td>
        {key}{' '}
        <a href={ticketPath(projectKey, ticket.number)} hx-get={ticketPath(projectKey, ticket.number)}>
          {title}
        </a>
        {/* The list has no due column (its 50-row budget): the editor shows the date under the title. */}
        <input
          type="date"
          name="due_date"
          class="row-due"
          value={ticket.dueDate ?? ''}
          min={DUE_MIN}
          max={DUE_MAX}
          aria-label={`Due date of ${key}`}
          data-field="due_date"
          hx-post={row}
          hx-vals={`{"version":"${ticket.version}"}`}
          hx-trigger="change delay:1s"
          hx-target="closest tr"
          hx-swap="outerHTML"
        />
        {error ? (
          <p class="field-error" role="alert">
            {error}
          </p>
        ) : null}
      </td>
      {select('status', 'Status', STATUS_OPTIONS, ticket.status)}
      {select('priority', 'Priority', PRIORITY_OPTIONS, ticket.priority)}
      {select('assignee', 'Assignee', assigneeOptions(ticket, members), ticket.assigneeId ?? '')}
      <td>
        <button type="button" class="secondary outline small" hx-get={row} hx-target="closest tr" hx-swap="outerHTML">
          Done
        </button>
      </td>
    </tr>
  );
}
