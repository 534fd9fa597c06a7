/** @module tickets/views/ticket-form — the new / edit ticket form, with a Markdown preview. */
import type { Project } from '../../db/schema';
import { DESCRIPTION_MAX } from '../../lib/markdown';
import { FormAlert, FormKey, SelectField, TextArea, TextField, type FieldErrors } from '../../views/fields';
import { ModalActions, ModalForm } from '../../views/modal';
import { TITLE_MAX } from '../schemas';
import { DUE_MAX, DUE_MIN } from '../../lib/due-dates';
import { formStamp, type ConflictNotice } from '../conflicts';
import type { Member } from '../sql';
import { PRIORITY_OPTIONS, STATUS_OPTIONS } from './common';
import { ticketKey } from '../../views/labels';
import type { Fields } from '../conflicts';
import { projectPagePath, ticketPath } from '../../web/paths';

/** The form's fields (tickets/conflicts' `Fields`) and what the form carries besides them. */
export interface TicketFormValues extends Fields {
  /** The create form's key, kept when the form comes back with errors. */
  formKey?: string;
  /** The edit form's: the ticket's version the form was rendered from (a 409 answer brings the current one). */
  version?: string;
  /** The stamp of the ticket the form was rendered from (tickets/conflicts); made from the values when absent. */
  base?: string;
}

export const EMPTY_TICKET: TicketFormValues = {
  title: '',
  description: '',
  status: 'OPEN',
  priority: 'MEDIUM',
  assignee: '',
  due_date: '',
};

/** A Markdown textarea with a Preview button that renders it through the same pipeline as the saved text. */
export function MarkdownField(props: {
  projectKey: string;
  name: string;
  label: string;
  value: string;
  errors?: FieldErrors | undefined;
  max: number;
  rows?: number;
  /** The project's members: typing `@` offers them (app.js), picking one inserts `@[Name](id)`. */
  people?: readonly Member[] | undefined;
}) {
  const previewId = `${props.name}-preview`;
  const listId = `${props.name}-mentions`;
  return (
    <div class="markdown-field" data-mentions={props.people?.length ? listId : undefined}>
      <TextArea
        name={props.name}
        label={props.label}
        value={props.value}
        errors={props.errors}
        rows={props.rows ?? 8}
        maxlength={props.max}
        hint="Markdown: **bold**, _italic_, `code`, lists, links."
      />
      <button
        type="button"
        class="secondary outline small"
        hx-post={projectPagePath(props.projectKey, 'preview')}
        hx-include={`#field-${props.name}`}
        hx-target={`#${previewId}`}
      >
        Preview
      </button>
      <div id={previewId} class="markdown-preview" aria-live="polite"></div>
      {props.people?.length ? (
        <ul id={listId} class="mention-list" role="listbox" aria-label="Mention a member" hidden>
          {props.people.map((p) => (
            <li id={`${listId}-${p.id}`} role="option" aria-selected="false" data-id={p.id} data-name={p.name}>
              {p.name}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function TicketForm({
  project,
  members,
  number,
  values,
  errors,
  conflict,
}: {
  project: Project;
  members: Member[];
  /** The ticket being edited, or null for a new one. */
  number: number | null;
  values: TicketFormValues;
  errors?: FieldErrors | undefined;
  conflict?: ConflictNotice | undefined;
}) {
  const action = number === null ? projectPagePath(project.key, 't') : ticketPath(project.key, number);
  // An edit form names its ticket (data-live-form): app.js shows "changed by … just now" in it instead of replacing it.
  const live: Record<string, string> = number === null ? {} : { 'data-live-form': ticketKey(project.key, number) };
  return (
    <ModalForm action={action} class="ticket-form" attrs={live}>
      {number === null ? (
        <FormKey value={values.formKey} />
      ) : (
        <>
          <input type="hidden" name="version" value={values.version ?? ''} />
          <input type="hidden" name="base" value={values.base ?? formStamp(values)} />
        </>
      )}
      <FormAlert message={errors?._form ?? errors?.version} />
      {conflict ? <ConflictAlert conflict={conflict} /> : null}
      {number === null ? null : <p class="live-notice" data-live-notice hidden role="status"></p>}
      <TextField
        name="title"
        label="Title"
        value={values.title}
        errors={errors}
        required
        maxlength={TITLE_MAX}
        autofocus
      />
      <MarkdownField
        projectKey={project.key}
        name="description"
        label="Description"
        value={values.description}
        errors={errors}
        max={DESCRIPTION_MAX}
        people={members}
      />
      <div class="grid">
        <SelectField name="status" label="Status" value={values.status} options={STATUS_OPTIONS} errors={errors} />
        <SelectField
          name="priority"
          label="Priority"
          value={values.priority}
          options={PRIORITY_OPTIONS}
          errors={errors}
        />
        <SelectField
          name="assignee"
          label="Assignee"
          value={values.assignee}
          options={[{ value: '', label: 'Nobody' }, ...members.map((m) => ({ value: m.id, label: m.name }))]}
          errors={errors}
        />
        <TextField
          type="date"
          name="due_date"
          label="Due date"
          value={values.due_date}
          errors={errors}
          min={DUE_MIN}
          max={DUE_MAX}
          hint="Optional; clear it for none."
        />
      </div>
      <ModalActions submit={number === null ? 'Create ticket' : 'Save changes'} />
    </ModalForm>
  );
}

function ConflictAlert({ conflict }: { conflict: ConflictNotice }) {
  const who = conflict.changedBy ?? 'Someone';
  return (
    <div class="form-alert conflict" role="alert">
      <p>{`${who} changed this ticket after you opened it. Nothing of yours is saved yet.`}</p>
      {conflict.changes.length ? (
        <ul>
          {conflict.changes.map((line) => (
            <li>{line}</li>
          ))}
        </ul>
      ) : null}
      <p>The form holds your changes and, where you left a field alone, theirs. Save to apply it, or Cancel.</p>
    </div>
  );
}

export function DeleteTicketForm({ project, number, title }: { project: Project; number: number; title: string }) {
  const action = ticketPath(project.key, number, '/delete');
  return (
    <ModalForm action={action}>
      <p>{`This deletes “${title}” with its comments and history. It cannot be undone.`}</p>
      {/* Focus starts on the safe choice: Enter right after opening must not delete. */}
      <ModalActions submit="Delete ticket" danger cancelFirst />
    </ModalForm>
  );
}
