/** @module tickets/views/ticket-view — the ticket modal: fields, description, comments and activity. */
import type { Project, User } from '../../db/schema';
import { canDeleteTicket } from '../../auth/permissions';
import { COMMENT_MAX, currentHtml } from '../../lib/markdown';
import { FormAlert, FormKey, SAFE_SUBMIT, type FieldErrors } from '../../views/fields';
import { Modal } from '../../views/modal';
import { TimeText } from '../../views/time';
import { projectPath, ticketPath } from '../../web/paths';
import type { CommentRow, EventRow, TicketDetail } from '../queries';
import { PriorityBadge, StatusBadge, StoredMarkdown } from './common';
import { PRIORITY_LABELS, STATUS_LABELS, ticketKey } from '../../views/labels';
import { TicketFieldsForm } from './ticket-fields';
import type { Member } from '../sql';
import { MarkdownField } from './ticket-form';
import { Presence } from './board';
import { on } from '../../web/events';

export interface TicketViewProps {
  project: Project;
  ticket: TicketDetail;
  comments: CommentRow[];
  events: EventRow[];
  /** The assignee choices of the in-place fields. */
  members: Member[];
  user: User;
  /** The ticket's own page: the title is the page's h1. */
  page?: boolean;
}

export function ticketTitle(project: Project, ticket: Pick<TicketDetail, 'number' | 'title'>): string {
  return `${ticketKey(project.key, ticket.number)} · ${ticket.title}`;
}

/** The modal (the same markup is the body of the full ticket page). */
export function TicketModal(props: TicketViewProps) {
  const { project, ticket, user } = props;
  const edit = ticketPath(project.key, ticket.number, '/edit');
  const del = ticketPath(project.key, ticket.number, '/delete');
  const here = ticketPath(project.key, ticket.number);
  // In the modal (not on the ticket's own page, which refreshes itself) it refetches itself when the ticket changes.
  const refresh: Record<string, string> = props.page
    ? {}
    : { 'hx-get': here, 'hx-trigger': on('ticketUpdated'), 'hx-target': '#dialog' };
  return (
    <Modal
      attrs={refresh}
      title={ticketTitle(project, ticket)}
      wide
      page={props.page ?? false}
      back={projectPath(project.key)}
      url={here}
      footer={
        <div class="actions">
          <button type="button" class="secondary outline js-only" data-copy-link={here}>
            Copy link
          </button>
          {canDeleteTicket(user, ticket) ? (
            <a href={del} role="button" class="danger outline" hx-get={del} hx-target="#dialog">
              Delete
            </a>
          ) : null}
          {/* Focus starts here, in the footer that stays in view, not on the comment box far below. */}
          <a href={edit} role="button" hx-get={edit} hx-target="#dialog" autofocus>
            Edit
          </a>
        </div>
      }
    >
      <Presence look={ticketKey(project.key, ticket.number)} />
      <p class="live-notice" data-live-notice hidden role="status"></p>
      <TicketFieldsForm
        projectKey={project.key}
        ticket={ticket}
        members={props.members}
        reporterName={ticket.reporterName}
        createdAt={ticket.createdAt}
        updatedAt={ticket.updatedAt}
      />
      <section class="ticket-description" aria-label="Description">
        {ticket.description.trim() ? (
          <StoredMarkdown
            html={currentHtml(ticket.description, ticket.descriptionHtml, ticket.renderedVersion)}
            people={props.members}
          />
        ) : (
          <p class="muted">No description.</p>
        )}
      </section>
      <WatchToggle projectKey={project.key} number={ticket.number} watching={Boolean(Number(ticket.watching))} />
      <Comments projectKey={project.key} number={ticket.number} comments={props.comments} people={props.members} />
      <Activity events={props.events} projectKey={project.key} number={ticket.number} />
    </Modal>
  );
}

/** Watch / Unwatch: a form that works without JavaScript; with htmx it answers with itself. */
export function WatchToggle({
  projectKey,
  number,
  watching,
}: {
  projectKey: string;
  number: number;
  watching: boolean;
}) {
  const action = ticketPath(projectKey, number, '/watch');
  return (
    <form method="post" action={action} hx-post={action} hx-swap="outerHTML" class="watch-toggle">
      <input type="hidden" name="watch" value={watching ? 'off' : 'on'} />
      <button type="submit" class="secondary outline small" aria-pressed={watching ? 'true' : 'false'}>
        {watching ? 'Watching' : 'Watch'}
      </button>
      <small class="muted">
        {watching ? 'You hear about changes to this ticket.' : 'Watch to hear about changes to this ticket.'}
      </small>
    </form>
  );
}

/** The comments and the form; a posted comment answers with this section again (outerHTML). */
export function Comments({
  projectKey,
  number,
  comments,
  people,
  errors,
  body,
  formKey,
}: {
  projectKey: string;
  number: number;
  comments: CommentRow[];
  /** The project's members: mentions show their current names. */
  people: readonly Member[];
  errors?: FieldErrors | undefined;
  body?: string;
  /** Kept when the form comes back with errors; a fresh one otherwise. */
  formKey?: string | undefined;
}) {
  const action = ticketPath(projectKey, number, '/comments');
  return (
    <section id="ticket-comments" class="ticket-comments" aria-labelledby="comments-title">
      <h3 id="comments-title">Comments</h3>
      {comments.length === 0 ? <p class="muted">No comments yet.</p> : null}
      <ol class="comment-list">
        {comments.map((c) => (
          <li>
            <p class="comment-meta">
              <strong>{c.authorName ?? 'A former user'}</strong> <TimeText ms={c.createdAt} />
            </p>
            <StoredMarkdown html={currentHtml(c.body, c.bodyHtml, c.renderedVersion, COMMENT_MAX)} people={people} />
          </li>
        ))}
      </ol>
      <form
        method="post"
        action={action}
        hx-post={action}
        hx-target="#ticket-comments"
        hx-swap="outerHTML"
        {...SAFE_SUBMIT}
      >
        <FormKey value={formKey} />
        <FormAlert message={errors?._form} />
        <MarkdownField
          projectKey={projectKey}
          name="body"
          label="Add a comment"
          value={body ?? ''}
          errors={errors}
          max={COMMENT_MAX}
          rows={3}
          people={people}
        />
        <div class="actions">
          <button type="submit">Comment</button>
        </div>
      </form>
    </section>
  );
}

function describeValue(field: string, value: string | null, name: string | null): string {
  if (field === 'assignee') return value ? (name ?? 'a former user') : 'nobody';
  if (field === 'status') return STATUS_LABELS[value as keyof typeof STATUS_LABELS] ?? value ?? '—';
  if (field === 'priority') return PRIORITY_LABELS[value as keyof typeof PRIORITY_LABELS] ?? value ?? '—';
  if (field === 'due_date') return value ?? 'none';
  return value ?? '—';
}

/** How the activity names a field where its stored name is not a word. */
const FIELD_NAMES: Record<string, string> = { due_date: 'the due date' };

export function Activity({ events, projectKey, number }: { events: EventRow[]; projectKey: string; number: number }) {
  return (
    <section
      id="ticket-activity"
      class="ticket-activity"
      aria-labelledby="activity-title"
      hx-get={ticketPath(projectKey, number, '/activity')}
      hx-trigger={on('ticketActivityUpdated')}
      hx-swap="outerHTML"
    >
      <h3 id="activity-title">Activity</h3>
      {events.length === 0 ? <p class="muted">No changes yet.</p> : null}
      <ul>
        {events.map((e) => (
          <li>
            <strong>{e.actorName ?? 'A former user'}</strong>
            {e.field === 'description' ? (
              <>
                {' changed the description '}
                <TimeText ms={e.createdAt} />
                <PreviousDescription path={ticketPath(projectKey, number, `/history/${e.id}`)} />
              </>
            ) : (
              <>
                {` changed ${FIELD_NAMES[e.field] ?? e.field} from “${describeValue(e.field, e.fromValue, e.fromName)}” to “${describeValue(e.field, e.toValue, e.toName)}” `}
                <TimeText ms={e.createdAt} />
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * The replaced text, fetched when the disclosure is first opened (a ticket with a long history stays light); without
 * JavaScript the link opens it as a page.
 */
function PreviousDescription({ path }: { path: string }) {
  return (
    <details class="previous-description" hx-get={path} hx-trigger="toggle once" hx-target="find .previous-text">
      <summary>View previous text</summary>
      <div class="previous-text">
        <a href={path}>Open the previous text</a>
      </div>
    </details>
  );
}
