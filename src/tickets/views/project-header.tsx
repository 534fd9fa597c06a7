/** @module tickets/views/project-header — the project's name, its List / Board tabs and its actions. */
import type { Project, User } from '../../db/schema';
import { isManager } from '../../auth/permissions';
import { ModalButton } from '../../views/modal';
import { projectPath } from '../../web/paths';

export function ProjectHeader({ project, user, tab }: { project: Project; user: User; tab: 'list' | 'board' }) {
  const base = projectPath(project.key);
  return (
    <>
      {/* The project whose changes this page listens to (app.js opens its live connection). */}
      <header class="page-head project-head" data-live-project={project.key}>
        <hgroup>
          <h1>{project.name}</h1>
          <p class="muted">{project.key}</p>
        </hgroup>
        <div class="actions">
          <ModalButton href={`${base}/t/new`}>New ticket</ModalButton>
          {isManager(user) ? (
            <>
              <ModalButton href={`${base}/members`} class="secondary outline">
                Members
              </ModalButton>
              <ModalButton href={`${base}/settings`} class="secondary outline">
                Settings
              </ModalButton>
              <ModalButton href={`${base}/delete`} class="danger outline">
                Delete project
              </ModalButton>
            </>
          ) : null}
        </div>
      </header>
      <nav class="tabs" aria-label="Project views">
        <ul>
          <li>
            <a href={base} aria-current={tab === 'list' ? 'page' : undefined}>
              List
            </a>
          </li>
          <li>
            <a href={`${base}/board`} aria-current={tab === 'board' ? 'page' : undefined}>
              Board
            </a>
          </li>
        </ul>
      </nav>
    </>
  );
}
