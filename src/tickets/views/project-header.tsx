/** @module tickets/views/project-header — the project's name, its List / Board tabs and its actions. */
import type { Project, User } from '../../db/schema';
import { isManager } from '../../accounts/permissions';

export function ProjectHeader({ project, user, tab }: { project: Project; user: User; tab: 'list' | 'board' }) {
  const base = `/p/${project.key}`;
  return (
    <>
      <header class="page-head project-head">
        <hgroup>
          <h1>{project.name}</h1>
          <p class="muted">{project.key}</p>
        </hgroup>
        <div class="actions">
          <a href={`${base}/t/new`} role="button" hx-get={`${base}/t/new`} hx-target="#dialog">
            New ticket
          </a>
          {isManager(user) ? (
            <>
              <a
                href={`${base}/members`}
                role="button"
                class="secondary outline"
                hx-get={`${base}/members`}
                hx-target="#dialog"
              >
                Members
              </a>
              <a
                href={`${base}/settings`}
                role="button"
                class="secondary outline"
                hx-get={`${base}/settings`}
                hx-target="#dialog"
              >
                Settings
              </a>
              <a
                href={`${base}/delete`}
                role="button"
                class="secondary outline"
                hx-get={`${base}/delete`}
                hx-target="#dialog"
              >
                Delete project
              </a>
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
