/** @module projects/views/dashboard — the dashboard page and its self-refreshing project list partial. */
import { STATUS_COUNTS, STATUSES } from '../../db/schema';
import { markdownToHtml } from '../../lib/markdown';
import { STATUS_LABELS } from '../../views/labels';
import { ModalButton } from '../../views/modal';
import { ALL_PROJECTS_LIMIT, type ProjectCard as Card } from '../service';
import { on } from '../../web/events';
import { projectPath, projectPagePath } from '../../web/paths';

export interface ProjectListProps {
  manager: boolean;
  mine: readonly Card[];
  /** Every project; empty for members. */
  all: readonly Card[];
}

export function NewProjectButton({ label = 'New project' }: { label?: string }) {
  return <ModalButton href="/projects/new">{label}</ModalButton>;
}

export function DashboardPage(props: ProjectListProps) {
  return (
    <section>
      <div class="page-head">
        <h1>Your projects</h1>
        {props.manager ? <NewProjectButton /> : null}
      </div>
      <ProjectList {...props} />
    </section>
  );
}

/** Rendered inside the dashboard and alone by `GET /projects/list`; it refetches itself when a project changes. */
export function ProjectList({ manager, mine, all }: ProjectListProps) {
  const active = mine.filter((p) => p.archivedAt === null);
  const archived = mine.filter((p) => p.archivedAt !== null);
  return (
    <div id="project-list" hx-get="/projects/list" hx-trigger={on('projectListUpdated')} hx-swap="outerHTML">
      {active.length > 0 ? (
        <div class="project-grid">
          {active.map((p) => (
            <ProjectCard project={p} />
          ))}
        </div>
      ) : (
        <EmptyState manager={manager} anyProject={all.length > 0} />
      )}
      {archived.length > 0 ? (
        <details class="archived-projects">
          <summary>Archived projects ({archived.length})</summary>
          <ul>
            {archived.map((p) => (
              <li>
                <a href={projectPath(p.key)}>{p.name}</a> <span class="project-key">{p.key}</span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {manager && all.length > 0 ? <AllProjects projects={all} /> : null}
    </div>
  );
}

function EmptyState({ manager, anyProject }: { manager: boolean; anyProject: boolean }) {
  if (!manager) {
    return (
      <article class="empty-state">
        <p>You are not in any project yet. Ask a manager to add you.</p>
      </article>
    );
  }
  if (!anyProject) {
    return (
      <article class="empty-state">
        <p>No projects yet. A project groups tickets under a short key, like NEX-42.</p>
        <NewProjectButton label="Create your first project" />
      </article>
    );
  }
  return (
    <article class="empty-state">
      <p>
        You are not a member of any project. Every project is listed below; add yourself from a project's members, or
        create a new one.
      </p>
    </article>
  );
}

export function ProjectCard({ project: p }: { project: Card }) {
  return (
    <article class="project-card" id={`project-${p.key}`} data-live-project={p.key}>
      <header>
        <h2>
          <a href={projectPath(p.key)}>{p.name}</a>
        </h2>
        <span class="project-key">{p.key}</span>
      </header>
      <p class="muted excerpt">{p.excerpt.trim() ? excerpt(p.excerpt) : 'No description.'}</p>
      <StatusCounts project={p} />
      <footer>
        <a href={projectPath(p.key)}>Tickets</a>
        <a href={projectPagePath(p.key, 'board')}>Board</a>
      </footer>
    </article>
  );
}

function StatusCounts({ project: p }: { project: Card }) {
  return (
    <dl class="status-counts">
      {STATUSES.map((status) => (
        <div>
          <dt>{STATUS_LABELS[status]}</dt>
          <dd>{p[STATUS_COUNTS[status]]}</dd>
        </div>
      ))}
    </dl>
  );
}

function AllProjects({ projects }: { projects: readonly Card[] }) {
  const shown = projects.slice(0, ALL_PROJECTS_LIMIT);
  return (
    <section class="all-projects" aria-labelledby="all-projects-title">
      <h2 id="all-projects-title">All projects</h2>
      <div class="overflow-auto">
        <table class="striped">
          <thead>
            <tr>
              <th scope="col">Project</th>
              <th scope="col">Key</th>
              {STATUSES.map((status) => (
                <th scope="col">{STATUS_LABELS[status]}</th>
              ))}
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((p) => (
              <tr id={`all-project-${p.key}`}>
                <td>
                  <a href={projectPath(p.key)}>{p.name}</a>
                  {p.archivedAt !== null ? <mark class="archived-badge">Archived</mark> : null}
                </td>
                <td>{p.key}</td>
                {STATUSES.map((status) => (
                  <td>{p[STATUS_COUNTS[status]]}</td>
                ))}
                <td>
                  <a
                    href={projectPagePath(p.key, 'settings')}
                    hx-get={projectPagePath(p.key, 'settings')}
                    hx-target="#dialog"
                  >
                    Settings
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {projects.length > ALL_PROJECTS_LIMIT ? (
        <p class="muted">Showing the first {ALL_PROJECTS_LIMIT} projects by name.</p>
      ) : null}
    </section>
  );
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

/**
 * The description's first paragraph as plain text, on a word boundary: rendered by the same Markdown pipeline as
 * tickets (so `**main**` reads "main"), then stripped of its tags, since a cut could leave markup unbalanced.
 */
function excerpt(source: string, max = 160): string {
  const first = source.trim().split(/\n\s*\n/, 1)[0] ?? '';
  const text = markdownToHtml(first)
    .replace(/<(?:br|\/(?:p|li|h\d|td|th))>/g, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ENTITIES[name]!);
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
