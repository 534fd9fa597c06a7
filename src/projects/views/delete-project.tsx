/** @module projects/views/delete-project — the confirmation that names what a deletion removes. */
import type { Project } from '../../db/schema';
import { TextField, type FieldErrors } from '../../views/fields';
import { ModalActions, ModalForm } from '../../views/modal';
import { ticketTotal } from '../service';
import { projectPagePath } from '../../web/paths';

export function DeleteProjectForm({
  project,
  value,
  errors,
}: {
  project: Project;
  value?: string | undefined;
  errors?: FieldErrors;
}) {
  const total = ticketTotal(project);
  return (
    <ModalForm action={projectPagePath(project.key, 'delete')} novalidate>
      <p>
        This permanently deletes the project <strong>{project.name}</strong> ({project.key}) with{' '}
        <strong>
          {total} {total === 1 ? 'ticket' : 'tickets'}
        </strong>
        , their comments and history, and removes everyone's access to it. This cannot be undone.
      </p>
      <TextField
        name="confirmKey"
        label={`Type ${project.key} to confirm`}
        value={value}
        errors={errors}
        required
        autocomplete="off"
        autofocus
      />
      <ModalActions submit="Delete project" danger />
    </ModalForm>
  );
}
