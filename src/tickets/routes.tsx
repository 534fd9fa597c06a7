/** @module tickets/routes — ticket list, board, ticket modal CRUD, comments and activity. */
import { Hono } from 'hono/tiny';
import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { STATUSES, type Project, type Status, type User } from '../db/schema';
import { canDeleteTicket } from '../auth/permissions';
import { isUuid } from '../lib/crypto';
import { DESCRIPTION_MAX } from '../lib/markdown';
import { enqueueMail } from '../mail/producer';
import type { MailMessage } from '../mail/messages';
import { authenticate } from '../auth/authenticate';
import { isProjectKey } from '../projects/queries';
import type { FieldErrors } from '../views/fields';
import { formValidator } from '../web/forms';
import { clientRedirect, currentUrl, htmxOrRedirect, isHtmx, modalDoneOrRedirect, pushUrl, trigger } from '../web/htmx';
import { validParams } from '../web/params';
import { projectPagePath, projectPath, ticketPath } from '../web/paths';
import { render, renderError, renderModal, renderNotFound, renderPage } from '../web/render';
import {
  commentFormSchema,
  listQuerySchema,
  previewFormSchema,
  fieldsFormSchema,
  myQuerySchema,
  statusFormSchema,
  ticketFormSchema,
  type ListQuery,
  type TicketInput,
} from './schemas';
import type { Plan, Statement } from '../db/plan';
import {
  projectWithMembers,
  listMyTickets,
  listTickets,
  readBoard,
  readBoardColumn,
  readPreviousDescription,
  readProjectPage,
  readTicket,
  readTicketActivity,
  readTicketForm,
  readTicketRow,
  type TicketRowOf,
} from './queries';
import {
  addComment,
  setWatching,
  changeTicketStatus,
  createTicket,
  deleteTicket,
  updateTicket,
  updateTicketFields,
  type FieldChanges,
} from './service';
import type { Member } from './sql';
import { Board, ColumnCards } from './views/board';
import { Markdown } from './views/common';
import { ticketKey } from '../views/labels';
import { mergeConflict, type ConflictNotice } from './conflicts';
import { ProjectHeader } from './views/project-header';
import { DeleteTicketForm, EMPTY_TICKET, TicketForm, type TicketFormValues } from './views/ticket-form';
import { listSearch, Row, TicketFilters, TicketRows, TicketTable } from './views/ticket-list';
import { EditRowCells, TicketFieldsForm } from './views/ticket-fields';
import { MY_PATH, MyRows, MyTickets, mySearch } from './views/my-tickets';
import { Activity, Comments, TicketModal, ticketTitle, WatchToggle } from './views/ticket-view';
import { on } from '../web/events';
import { announce } from '../live';

type Ctx = Context<AppEnv>;

export const ticketRoutes = new Hono<AppEnv>();

const NUMBER_RE = /^[1-9]\d{0,8}$/;
const ASSIGNEE_ERROR = 'Choose a member of the project, or nobody.';
const MENTION_ERROR = 'This mentions someone who is not a member of the project: remove the mention.';

/** Malformed keys and ticket numbers are a 404 before any query. */
const ticketParams = validParams({ key: isProjectKey, number: (n) => NUMBER_RE.test(n) });

function keyOf(c: Ctx): string {
  return c.req.param('key')!;
}

function numberOf(c: Ctx): number {
  return Number(c.req.param('number'));
}

function ticketGone(c: Ctx) {
  const next = isHtmx(c) ? 'Close this and refresh the list.' : 'See its project.';
  return renderError(c, 404, 'Ticket not found', `This ticket does not exist: it may have been deleted. ${next}`);
}

/** Notification emails go to the queue after the batch has committed; the response does not wait for them. */
function sendMail(c: Ctx, messages: MailMessage[]) {
  if (messages.length === 0) return;
  c.executionCtx.waitUntil(
    enqueueMail(c.env, messages).catch((err: unknown) => console.error('[mail] could not enqueue', err)),
  );
}

function parseListQuery(c: Ctx): ListQuery {
  return listQuerySchema.parse(c.req.query());
}

function toFormValues(input: TicketInput | Record<string, string>): TicketFormValues {
  return {
    title: String(input.title ?? ''),
    description: String(input.description ?? ''),
    status: String(input.status ?? EMPTY_TICKET.status),
    priority: String(input.priority ?? EMPTY_TICKET.priority),
    assignee: String(input.assignee ?? ''),
    due_date: String(input.due_date ?? ''),
    formKey: String(input.form_key ?? ''),
    version: String(input.version ?? ''),
  };
}

function ticketFormModal(
  c: Ctx,
  project: Project,
  members: Member[],
  number: number | null,
  values: TicketFormValues,
  errors?: FieldErrors,
  conflict?: ConflictNotice,
) {
  const title = number === null ? 'New ticket' : `Edit ${ticketKey(project.key, number)}`;
  const body = (
    <TicketForm
      project={project}
      members={members}
      number={number}
      values={values}
      errors={errors}
      conflict={conflict}
    />
  );
  return renderModal(c, { title, body, wide: true }, conflict ? 409 : errors ? 422 : 200);
}

/** A form that failed validation comes back with 422, its values and the messages next to the fields. */
async function ticketFormInvalid(c: Ctx, errors: FieldErrors, values: Record<string, string>) {
  const number = c.req.param('number') === undefined ? null : numberOf(c);
  const { out } = await authenticate(c, readTicketForm(keyOf(c), number));
  if (!out.ok) return out.reason === 'ticket' ? ticketGone(c) : renderNotFound(c);
  return ticketFormModal(c, out.project, out.members, number, toFormValues(values), errors);
}

ticketRoutes.get('/p/:key', ticketParams, async (c) => {
  const query = parseListQuery(c);
  const { user, out } = await authenticate(c, readProjectPage(keyOf(c), query, Date.now()));
  if (!out.ok) return renderNotFound(c);
  return renderPage(
    c,
    out.project.name,
    <>
      <ProjectHeader project={out.project} user={user} tab="list" />
      <TicketFilters project={out.project} query={query} members={out.members} />
      <TicketTable project={out.project} query={query} page={out.page} />
    </>,
  );
});

/** The list partial: always rows (no layout). A first page for new filters puts the page URL in the history. */
ticketRoutes.get('/p/:key/tickets', ticketParams, async (c) => {
  const key = keyOf(c);
  const query = parseListQuery(c);
  const { out } = await authenticate(c, listTickets(key, query, Date.now()));
  if (!out.ok) return renderNotFound(c);
  if (!query.after) {
    const pageUrl = projectPath(key, listSearch(query));
    const here = currentUrl(c);
    const herePage =
      here && `${here.pathname}${listSearch(listQuerySchema.parse(Object.fromEntries(here.searchParams)))}`;
    if (here && herePage !== pageUrl && here.pathname === projectPath(key)) pushUrl(c, pageUrl);
  }
  return c.html(<TicketRows project={out.project} query={query} page={out.page} first={!query.after} />);
});

// ---- My issues: my tickets across my projects ------------------------------------------------------------------------

ticketRoutes.get(MY_PATH, async (c) => {
  const query = myQuerySchema.parse(c.req.query());
  const { out } = await authenticate(c, listMyTickets(query, Date.now()));
  return renderPage(c, 'My issues', <MyTickets query={query} page={out} />);
});

/** My issues' rows partial; a first page for new filters puts the page URL in the history (as a project's list). */
ticketRoutes.get(`${MY_PATH}/tickets`, async (c) => {
  const query = myQuerySchema.parse(c.req.query());
  const { out } = await authenticate(c, listMyTickets(query, Date.now()));
  if (!query.after) {
    const pageUrl = `${MY_PATH}${mySearch(query)}`;
    const here = currentUrl(c);
    const herePage = here && `${here.pathname}${mySearch(myQuerySchema.parse(Object.fromEntries(here.searchParams)))}`;
    if (here && herePage !== pageUrl && here.pathname === MY_PATH) pushUrl(c, pageUrl);
  }
  return c.html(<MyRows query={query} page={out} first={!query.after} />);
});

ticketRoutes.get('/p/:key/board', ticketParams, async (c) => {
  const { user, out } = await authenticate(c, readBoard(keyOf(c)));
  if (!out.ok) return renderNotFound(c);
  const board = <Board project={out.project} columns={out.columns} />;
  return render(c, {
    title: `${out.project.name} · Board`,
    partial: board,
    page: (
      <>
        <ProjectHeader project={out.project} user={user} tab="board" />
        {board}
      </>
    ),
  });
});

/** "Show more" in one board column: the next cards, and the next "Show more" when the column goes on. */
ticketRoutes.get('/p/:key/board/:status', ticketParams, async (c) => {
  const status = c.req.param('status') as Status;
  if (!STATUSES.includes(status)) return renderNotFound(c);
  const { out } = await authenticate(c, readBoardColumn(keyOf(c), status, c.req.query('after')));
  if (!out.ok) return renderNotFound(c);
  return c.html(<ColumnCards project={out.project} status={status} page={out.column} />);
});

ticketRoutes.get('/p/:key/t/new', ticketParams, async (c) => {
  const { out } = await authenticate(c, readTicketForm(keyOf(c), null));
  if (!out.ok) return renderNotFound(c);
  return ticketFormModal(c, out.project, out.members, null, EMPTY_TICKET);
});

ticketRoutes.post('/p/:key/t', ticketParams, formValidator(ticketFormSchema, ticketFormInvalid), async (c) => {
  const key = keyOf(c);
  const input = c.req.valid('form');
  const { user, out } = await authenticate(c, createTicket(key, input, Date.now()));
  if (out.ok) announce(c, key, { ticket: ticketKey(key, out.number), kind: 'created', by: user, version: 1 });
  if (out.ok) return modalDoneOrRedirect(c, { ticketListUpdated: null }, ticketPath(key, out.number));
  if (out.reason === 'assignee') {
    return ticketFormModal(c, out.project, out.members, null, toFormValues(input), { assignee: ASSIGNEE_ERROR });
  }
  if (out.reason === 'mention') {
    return ticketFormModal(c, out.project, out.members, null, toFormValues(input), { description: MENTION_ERROR });
  }
  return renderNotFound(c);
});

ticketRoutes.get('/p/:key/t/:number', ticketParams, async (c) => {
  const key = keyOf(c);
  const number = numberOf(c);
  const { user, out } = await authenticate(c, readTicket(key, number));
  if (!out.ok) return out.reason === 'ticket' ? ticketGone(c) : renderNotFound(c);
  const modal = (page: boolean) => (
    <TicketModal
      project={out.project}
      ticket={out.ticket}
      comments={out.comments}
      events={out.events}
      members={out.members}
      user={user}
      page={page}
    />
  );
  // `?as=page` is the ticket page refreshing itself: the same markup, with the page's h1.
  const asPage = c.req.query('as') === 'page';
  return render(c, {
    title: ticketTitle(out.project, out.ticket),
    partial: modal(asPage),
    page: (
      <>
        <p>
          <a href={projectPath(key)}>{`← ${out.project.name}`}</a>
        </p>
        {/* Opened directly: the page refreshes its ticket after an edit made in the modal. */}
        <section
          class="modal-page"
          hx-get={`${ticketPath(key, number)}?as=page`}
          hx-trigger={on('ticketUpdated', 'profileUpdated')}
          data-live-project={key}
        >
          {modal(true)}
        </section>
      </>
    ),
  });
});

// The activity alone, for the open ticket after a change in place; without htmx, the ticket page shows it.
ticketRoutes.get('/p/:key/t/:number/activity', ticketParams, async (c) => {
  const key = keyOf(c);
  const number = numberOf(c);
  return htmxOrRedirect(c, ticketPath(key, number), async () => {
    const { out: events } = await authenticate(c, readTicketActivity(key, number));
    if (!events) return renderNotFound(c);
    return c.html(<Activity events={events} projectKey={key} number={number} />);
  });
});

// The text a description change replaced: the Markdown alone for the activity's disclosure, a page otherwise.
ticketRoutes.get('/p/:key/t/:number/history/:eventId', ticketParams, async (c) => {
  const eventId = c.req.param('eventId');
  if (!isUuid(eventId)) return renderNotFound(c);
  const number = numberOf(c);
  const { out } = await authenticate(c, readPreviousDescription(keyOf(c), number, eventId));
  if (!out) return renderNotFound(c);
  const text = out.text.trim() ? <Markdown source={out.text} /> : <p class="muted">No description.</p>;
  return render(c, {
    title: `${ticketKey(out.project.key, number)} · previous description`,
    partial: text,
    page: (
      <>
        <p>
          <a href={ticketPath(out.project.key, number)}>{`← ${ticketKey(out.project.key, number)}`}</a>
        </p>
        <h1 id="page-title">{`Description of ${ticketKey(out.project.key, number)} before a change`}</h1>
        {text}
      </>
    ),
  });
});

ticketRoutes.get('/p/:key/t/:number/edit', ticketParams, async (c) => {
  const number = numberOf(c);
  const { out } = await authenticate(c, readTicketForm(keyOf(c), number));
  if (!out.ok) return out.reason === 'ticket' ? ticketGone(c) : renderNotFound(c);
  const t = out.ticket!;
  const values = { ...t, assignee: t.assigneeId ?? '', due_date: t.dueDate ?? '', version: t.version };
  return ticketFormModal(c, out.project, out.members, number, toFormValues(values));
});

ticketRoutes.post('/p/:key/t/:number', ticketParams, formValidator(ticketFormSchema, ticketFormInvalid), async (c) => {
  const key = keyOf(c);
  const number = numberOf(c);
  const input = c.req.valid('form');
  const { user, out } = await authenticate(c, updateTicket(key, number, input, Date.now()));
  if (out.ok) {
    announce(c, key, { ticket: ticketKey(key, number), kind: 'ticket', by: user, version: out.version });
    sendMail(c, out.messages);
    // Not modal:close: app.js shows the saved ticket again in the modal it was edited from (see ticketSaved).
    return htmxOrRedirect(c, ticketPath(key, number), () => {
      trigger(c, { ticketListUpdated: null, ticketUpdated: null, ticketSaved: { url: ticketPath(key, number) } });
      return c.body(null, 204);
    });
  }
  if (out.reason === 'conflict') {
    // Their changes come in where the user left a field alone; the version becomes the current one, so saving again
    // applies the user's own changes on purpose.
    const merged = mergeConflict(out.current, input, input.base, out.members);
    const values = { ...merged.values, version: String(out.current.version) };
    return ticketFormModal(c, out.project, out.members, number, values, undefined, merged.notice);
  }
  if (out.reason === 'assignee') {
    return ticketFormModal(c, out.project, out.members, number, toFormValues(input), { assignee: ASSIGNEE_ERROR });
  }
  if (out.reason === 'mention') {
    return ticketFormModal(c, out.project, out.members, number, toFormValues(input), { description: MENTION_ERROR });
  }
  return out.reason === 'ticket' ? ticketGone(c) : renderNotFound(c);
});

ticketRoutes.post(
  '/p/:key/t/:number/status',
  ticketParams,
  formValidator(statusFormSchema, (c: Ctx) =>
    renderError(c, 422, 'Unknown status', 'Choose one of the listed statuses.'),
  ),
  async (c) => {
    const key = keyOf(c);
    const number = numberOf(c);
    const { status, version } = c.req.valid('form');
    const { user, out } = await authenticate(c, changeTicketStatus(key, number, status, Date.now(), version));
    if (!out.ok) {
      if (out.reason !== 'conflict') return renderNotFound(c);
      // The card was stale: nothing moved; the board and list refresh to show the ticket as it is now.
      trigger(c, { ticketListUpdated: { target: 'body' }, ticketUpdated: { target: 'body' } });
      const who = out.current.changedBy ?? 'Someone';
      return renderError(
        c,
        409,
        'Changed meanwhile',
        `${who} changed ${ticketKey(key, number)} just before your move; nothing was moved. Look again and move it if you still want to.`,
      );
    }
    announce(c, key, { ticket: ticketKey(key, number), kind: 'status', by: user, version: out.version });
    sendMail(c, out.messages);
    return htmxOrRedirect(c, projectPagePath(key, 'board'), () => {
      trigger(c, { ticketListUpdated: null, ticketUpdated: null });
      return c.body(null, 204);
    });
  },
);

// ---- In place: status, priority and assignee without the edit form ------------------------------------------------
// The ticket modal's fields form posts to /fields; a list row's editor (GET /row?edit) posts to /row. Both run the
// edit form's plan (updateTicketFields) with the fields given, so events, counters and notifications are the same.

function fieldsForm(
  c: Ctx,
  key: string,
  ticket: TicketRowOf,
  members: Member[],
  errors?: FieldErrors,
  status: 200 | 409 | 422 = errors ? 422 : 200,
) {
  return c.html(
    <TicketFieldsForm
      projectKey={key}
      ticket={ticket}
      members={members}
      reporterName={ticket.reporterName}
      createdAt={ticket.createdAt}
      updatedAt={ticket.updatedAt}
      errors={errors}
    />,
    status,
  );
}

function editRow(
  c: Ctx,
  key: string,
  ticket: TicketRowOf,
  members: Member[],
  error?: string,
  status: 200 | 409 | 422 = error ? 422 : 200,
) {
  const cells = <EditRowCells projectKey={key} ticket={ticket} members={members} title={ticket.title} error={error} />;
  return c.html(cells, status);
}

/** A refused in-place change: the form or row again with the message (422), or the 404 of a missing ticket. */
async function fieldsInvalid(c: Ctx, errors: FieldErrors, view: 'form' | 'row') {
  const key = keyOf(c);
  const { out } = await authenticate(c, readTicketRow(key, numberOf(c)));
  if (!out.ok) return out.reason === 'ticket' ? ticketGone(c) : renderNotFound(c);
  if (view === 'row') {
    const message = errors.status ?? errors.priority ?? errors.assignee ?? errors.due_date ?? errors._form;
    return editRow(c, key, out.ticket, out.members, message);
  }
  return fieldsForm(c, key, out.ticket, out.members, errors);
}

async function changeInPlace(
  c: Ctx,
  input: Omit<FieldChanges, 'dueDate'> & { due_date?: string | null | undefined; version?: number | undefined },
  view: 'form' | 'row',
) {
  const key = keyOf(c);
  const number = numberOf(c);
  const { version, due_date: dueDate, ...rest } = input;
  const changes: FieldChanges = dueDate === undefined ? rest : { ...rest, dueDate };
  const { user, out } = await authenticate(c, updateTicketFields(key, number, changes, { now: Date.now(), version }));
  if (!out.ok) {
    if (out.reason === 'conflict') {
      // Made from an older version: nothing is saved; the controls come back as the ticket is now, with the message.
      const who = out.current.changedBy ?? 'Someone';
      const message = `${who} changed ${ticketKey(key, number)} just before your change, so it was not saved. This shows it as it is now: choose again if you still want the change.`;
      trigger(c, { ticketListUpdated: { target: 'body' } });
      if (view === 'row') return editRow(c, key, out.ticket, out.members, message, 409);
      return fieldsForm(c, key, out.ticket, out.members, { _form: message }, 409);
    }
    if (out.reason === 'assignee') {
      if (view === 'row') return editRow(c, key, out.ticket, out.members, ASSIGNEE_ERROR);
      return fieldsForm(c, key, out.ticket, out.members, { assignee: ASSIGNEE_ERROR });
    }
    return out.reason === 'ticket' ? ticketGone(c) : renderNotFound(c);
  }
  announce(c, key, {
    ticket: ticketKey(key, number),
    kind: changes.status ? 'status' : 'ticket',
    by: user,
    version: out.version,
  });
  sendMail(c, out.messages);
  return htmxOrRedirect(c, ticketPath(key, number), () => {
    if (view === 'row') return c.html(<Row projectKey={key} row={out.ticket} />);
    // The list or board under the modal refreshes itself.
    // Not ticketUpdated: the open ticket modal refetches itself on it, which would replace the form under the user's
    // focus; the form's answer is itself, already up to date.
    trigger(c, { ticketListUpdated: null, ticketActivityUpdated: null });
    return fieldsForm(c, key, out.ticket, out.members);
  });
}

ticketRoutes.post(
  '/p/:key/t/:number/fields',
  ticketParams,
  formValidator(fieldsFormSchema, (c: Ctx, errors) => fieldsInvalid(c, errors, 'form')),
  (c) => changeInPlace(c, c.req.valid('form'), 'form'),
);

ticketRoutes.post(
  '/p/:key/t/:number/row',
  ticketParams,
  formValidator(fieldsFormSchema, (c: Ctx, errors) => fieldsInvalid(c, errors, 'row')),
  (c) => changeInPlace(c, c.req.valid('form'), 'row'),
);

/** A list row (`?edit`: its editor). */
ticketRoutes.get('/p/:key/t/:number/row', ticketParams, async (c) => {
  const key = keyOf(c);
  const { out } = await authenticate(c, readTicketRow(key, numberOf(c)));
  if (!out.ok) return out.reason === 'ticket' ? ticketGone(c) : renderNotFound(c);
  if (c.req.query('edit') === undefined) return c.html(<Row projectKey={key} row={out.ticket} />);
  return editRow(c, key, out.ticket, out.members);
});

ticketRoutes.get('/p/:key/t/:number/delete', ticketParams, async (c) => {
  const number = numberOf(c);
  const { user, out } = await authenticate(c, readTicketForm(keyOf(c), number));
  if (!out.ok) return out.reason === 'ticket' ? ticketGone(c) : renderNotFound(c);
  const ticket = out.ticket!;
  if (!canDeleteTicket(user, ticket)) return forbiddenDelete(c);
  return renderModal(c, {
    title: `Delete ${ticketKey(out.project.key, number)}?`,
    body: <DeleteTicketForm project={out.project} number={number} title={ticket.title} />,
  });
});

function forbiddenDelete(c: Ctx) {
  return renderError(c, 403, 'Not allowed', 'Only a manager or the ticket’s reporter can delete it.');
}

ticketRoutes.post('/p/:key/t/:number/delete', ticketParams, async (c) => {
  const key = keyOf(c);
  const number = numberOf(c);
  const { user, out } = await authenticate(c, deleteTicket(key, number));
  if (!out.ok) {
    if (out.reason === 'forbidden') return forbiddenDelete(c);
    return out.reason === 'ticket' ? ticketGone(c) : renderNotFound(c);
  }
  announce(c, key, { ticket: ticketKey(key, number), kind: 'deleted', by: user });
  // The ticket's own page (not the modal, whose address is the same) leaves for the list on this event: app.js.
  const deleted = { url: ticketPath(key, number), list: projectPath(key) };
  return modalDoneOrRedirect(c, { ticketListUpdated: null, ticketDeleted: deleted }, projectPath(key));
});

ticketRoutes.post(
  '/p/:key/t/:number/comments',
  ticketParams,
  formValidator(commentFormSchema, async (c: Ctx, errors, values) => {
    const number = numberOf(c);
    const { out } = await authenticate(c, readTicket(keyOf(c), number));
    if (!out.ok) return out.reason === 'ticket' ? ticketGone(c) : renderNotFound(c);
    const section = (
      <Comments
        projectKey={out.project.key}
        number={number}
        comments={out.comments}
        people={out.members}
        errors={errors}
        body={values.body}
        formKey={values.form_key}
      />
    );
    return render(c, { title: ticketTitle(out.project, out.ticket), partial: section }, 422);
  }),
  async (c) => {
    const key = keyOf(c);
    const number = numberOf(c);
    const input = c.req.valid('form');
    const { user, out } = await authenticate(c, addComment(key, number, input, Date.now()));
    if (!out.ok && out.reason === 'mention') {
      const section = (
        <Comments
          projectKey={key}
          number={number}
          comments={out.comments}
          people={out.members}
          errors={{ body: MENTION_ERROR }}
          body={input.body}
          formKey={input.form_key}
        />
      );
      return render(c, { title: ticketKey(key, number), partial: section }, 422);
    }
    if (!out.ok) return renderNotFound(c);
    announce(c, key, { ticket: ticketKey(key, number), kind: 'comment', by: user });
    sendMail(c, out.messages);
    return htmxOrRedirect(c, ticketPath(key, number), () =>
      render(c, {
        title: ticketKey(key, number),
        partial: <Comments projectKey={key} number={number} comments={out.comments} people={out.members} />,
      }),
    );
  },
);

ticketRoutes.post('/p/:key/t/:number/watch', ticketParams, async (c) => {
  const key = keyOf(c);
  const number = numberOf(c);
  const form = await c.req.parseBody();
  const { out } = await authenticate(c, setWatching(key, number, form['watch'] !== 'off', Date.now()));
  if (!out.ok) return renderNotFound(c);
  return htmxOrRedirect(c, ticketPath(key, number), () =>
    c.html(<WatchToggle projectKey={key} number={number} watching={out.watching} />),
  );
});

ticketRoutes.post(
  '/p/:key/preview',
  ticketParams,
  formValidator(previewFormSchema, (c: Ctx) => c.text('Nothing to preview.', 422)),
  async (c) => {
    const form = c.req.valid('form');
    const text = form.text ?? form.description ?? form.body ?? '';
    const { out: found } = await authenticate(c, projectWithMembers(keyOf(c)));
    if (!found) return renderNotFound(c);
    if (text.length > DESCRIPTION_MAX) {
      return c.html(<p class="field-error">This text is too long to preview.</p>, 422);
    }
    return c.html(
      text.trim() ? <Markdown source={text} people={found.members} /> : <p class="muted">Nothing to preview.</p>,
    );
  },
);
