/** @module projects/views/delete-project — the confirmation that names what a deletion removes. */
import type { Project } from '../../db/schema';
import { SAFE_SUBMIT, TextField, type FieldErrors } from '../../views/fields';
import { ticketTotal } from '../service';
import { projectPath } from '../../web/paths';

export function DeleteProjectForm({
  project,
  value,
  errors,
}: {
  project: Project;
  value?: string | undefined;
  errors?: FieldErrors;
}) {
  const base = projectPath(project.key);
  const total = ticketTotal(project);
  return (
    <form
      method="post"
      action={`${base}/delete`}
      hx-post={`${base}/delete`}
      hx-target="#dialog"
      novalidate
      {...SAFE_SUBMIT}
    >
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
      <div class="actions">
        <button type="button" class="secondary" data-close-modal>
          Cancel
        </button>
        <button type="submit" class="danger">
          Delete project
        </button>
      </div>
    </form>
  );
}
