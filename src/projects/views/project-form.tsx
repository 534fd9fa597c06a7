/** @module projects/views/project-form — the create form and the settings modal (edit, archive, delete, members). */
import type { Child } from 'hono/jsx';
import type { Project } from '../../db/schema';
import { FormAlert, FormKey, TextArea, TextField, type FieldErrors } from '../../views/fields';
import { ModalActions, ModalButton, ModalForm } from '../../views/modal';
import { PROJECT_DESCRIPTION_MAX, PROJECT_NAME_MAX } from '../schemas';
import { projectPagePath } from '../../web/paths';

type Values = Partial<Record<'name' | 'key' | 'description' | 'form_key', string>>;

/** Name, key and description: the key is chosen once, so the settings show it read-only (`keyField`). */
function ProjectFields({
  name,
  description,
  errors,
  keyField,
}: {
  name: string | undefined;
  description: string | undefined;
  errors: FieldErrors | undefined;
  keyField: Child;
}) {
  return (
    <>
      <FormAlert message={errors?._form} />
      <TextField
        name="name"
        label="Name"
        value={name}
        errors={errors}
        required
        maxlength={PROJECT_NAME_MAX}
        autofocus
      />
      {keyField}
      <TextArea
        name="description"
        label="Description"
        value={description}
        errors={errors}
        rows={4}
        maxlength={PROJECT_DESCRIPTION_MAX}
      />
    </>
  );
}

export function NewProjectForm({ values = {}, errors }: { values?: Values; errors?: FieldErrors }) {
  return (
    <ModalForm action="/projects" novalidate>
      <FormKey value={values.form_key} />
      <ProjectFields
        name={values.name}
        description={values.description}
        errors={errors}
        keyField={
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
        }
      />
      <ModalActions submit="Create project" />
    </ModalForm>
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
  const page = (name: Parameters<typeof projectPagePath>[1]) => projectPagePath(project.key, name);
  const archived = project.archivedAt !== null;
  return (
    <>
      <ModalForm action={page('settings')} novalidate>
        <ProjectFields
          name={values?.name ?? project.name}
          description={values?.description ?? project.description}
          errors={errors}
          keyField={
            <TextField
              name="key-display"
              label="Key"
              value={project.key}
              readonly
              hint="Keys cannot be changed: ticket keys already in use must keep working."
            />
          }
        />
        <ModalActions submit="Save" />
      </ModalForm>
      <hr />
      <section class="project-danger" aria-label="Project status">
        <p class="muted">
          {archived
            ? 'This project is archived: it is off the members’ dashboards but can still be opened.'
            : 'Archiving takes the project off the members’ dashboards; it can still be opened and unarchived.'}
        </p>
        <div class="actions">
          <ModalButton href={page('members')} class="secondary outline">
            Members
          </ModalButton>
          <form
            method="post"
            action={page(archived ? 'unarchive' : 'archive')}
            hx-post={page(archived ? 'unarchive' : 'archive')}
            hx-target="#dialog"
          >
            <button type="submit" class="secondary">
              {archived ? 'Unarchive project' : 'Archive project'}
            </button>
          </form>
          <ModalButton href={page('delete')} class="danger outline">
            Delete project…
          </ModalButton>
        </div>
      </section>
    </>
  );
}
