/** @module projects/views/project-form — the create form and the settings modal (edit, archive, delete, members). */
import type { Project } from '../../db/schema';
import { FormAlert, FormKey, SAFE_SUBMIT, TextArea, TextField, type FieldErrors } from '../../views/fields';
import { ModalButton } from '../../views/modal';
import { PROJECT_DESCRIPTION_MAX, PROJECT_NAME_MAX } from '../schemas';
import { projectPath } from '../../web/paths';

type Values = Partial<Record<'name' | 'key' | 'description' | 'form_key', string>>;

function ModalActions({ submit }: { submit: string }) {
  return (
    <div class="actions">
      <button type="button" class="secondary" data-close-modal>
        Cancel
      </button>
      <button type="submit">{submit}</button>
    </div>
  );
}

export function NewProjectForm({ values = {}, errors }: { values?: Values; errors?: FieldErrors }) {
  return (
    <form method="post" action="/projects" hx-post="/projects" hx-target="#dialog" novalidate {...SAFE_SUBMIT}>
      <FormKey value={values.form_key} />
      <FormAlert message={errors?._form} />
      <TextField
        name="name"
        label="Name"
        value={values.name}
        errors={errors}
        required
        maxlength={PROJECT_NAME_MAX}
        autofocus
      />
      <TextField
        name="key"
        label="Key"
        value={values.key}
        errors={errors}
        required
        minlength={2}
        maxlength={6}
        autocomplete="off"
        hint="2 to 6 letters. It starts every ticket key (NEX-42) and cannot be changed later."
      />
      <TextArea
        name="description"
        label="Description"
        value={values.description}
        errors={errors}
        rows={4}
        maxlength={PROJECT_DESCRIPTION_MAX}
      />
      <ModalActions submit="Create project" />
    </form>
  );
}

export function ProjectSettings({
  project,
  values,
  errors,
}: {
  project: Project;
  values?: Values;
  errors?: FieldErrors;
}) {
  const base = projectPath(project.key);
  const archived = project.archivedAt !== null;
  return (
    <>
      <form
        method="post"
        action={`${base}/settings`}
        hx-post={`${base}/settings`}
        hx-target="#dialog"
        novalidate
        {...SAFE_SUBMIT}
      >
        <FormAlert message={errors?._form} />
        <TextField
          name="name"
          label="Name"
          value={values?.name ?? project.name}
          errors={errors}
          required
          maxlength={PROJECT_NAME_MAX}
          autofocus
        />
        <TextField
          name="key-display"
          label="Key"
          value={project.key}
          readonly
          hint="Keys cannot be changed: ticket keys already in use must keep working."
        />
        <TextArea
          name="description"
          label="Description"
          value={values?.description ?? project.description}
          errors={errors}
          rows={4}
          maxlength={PROJECT_DESCRIPTION_MAX}
        />
        <ModalActions submit="Save" />
      </form>
      <hr />
      <section class="project-danger" aria-label="Project status">
        <p class="muted">
          {archived
            ? 'This project is archived: it is off the members’ dashboards but can still be opened.'
            : 'Archiving takes the project off the members’ dashboards; it can still be opened and unarchived.'}
        </p>
        <div class="actions">
          <ModalButton href={`${base}/members`} class="secondary outline">
            Members
          </ModalButton>
          <form
            method="post"
            action={`${base}/${archived ? 'unarchive' : 'archive'}`}
            hx-post={`${base}/${archived ? 'unarchive' : 'archive'}`}
            hx-target="#dialog"
          >
            <button type="submit" class="secondary">
              {archived ? 'Unarchive project' : 'Archive project'}
            </button>
          </form>
          <ModalButton href={`${base}/delete`} class="danger outline">
            Delete project…
          </ModalButton>
        </div>
      </section>
    </>
  );
}
