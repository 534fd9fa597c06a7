/** @module invitations/routes — invite modal, invitations list, resend/revoke, and (mounted here) the join flow. */
import { Hono } from 'hono/tiny';
import type { Context } from 'hono';
import { canInvite } from '../auth/permissions';
import type { AppEnv } from '../env';
import { FORM_KEY_FIELD, formKeyOf } from '../db/form-keys';
import { runPlan } from '../db/plan';
import { isUuid } from '../lib/crypto';
import { enqueueMail } from '../mail/producer';
import { rateLimit } from '../middleware/rate-limit';
import { authenticate } from '../auth/authenticate';
import type { FieldErrors } from '../views/fields';
import { formValues, parseForm, readForm } from '../web/forms';
import { validParams } from '../web/params';
import { htmxOrRedirect, modalDoneOrRedirect, trigger } from '../web/htmx';
import { render, renderError, renderModal, renderNotFound, renderPage } from '../web/render';
import { noStoreNoReferrer } from '../middleware/security';
import { invitationStatus } from '../auth/invitations';
import { joinRoutes } from './join-routes';
import { inviteSchema } from './schemas';
import {
  findInvitation,
  LIST_PAGE_SIZE,
  listInvitableProjects,
  listInvitations,
  type InvitationRow as Row,
  type ListCursor,
} from './queries';
import { DAY_MS, invitationLink, inviteByEmail, resendInvitation, revokeInvitation } from './service';
import { InviteForm, type ProjectChoice } from './views/invite-form';
import { InviteSummary } from './views/invite-summary';
import {
  InvitationLink,
  InvitationRow,
  InvitationsPage,
  InvitationTable,
  RevokeInvitationForm,
} from './views/invitation-list';

type Ctx = Context<AppEnv>;

export const invitationRoutes = new Hono<AppEnv>();

/** Lists listen with `from:body`; aiming the event at body keeps it working when its source was swapped away. */
const LIST_UPDATED = { invitationListUpdated: { target: 'body' } };

function forbidden(c: Ctx) {
  return renderError(c, 403, 'Not allowed', 'Only managers can invite people and manage invitations.');
}

function ttlMs(c: Ctx): number {
  return c.get('config').INVITE_TTL_DAYS * DAY_MS;
}

/** `?before=<created_at>.<id>`; absent is the first page, anything malformed is `undefined` (a 404). */
function parseCursor(value: string | undefined): ListCursor | null | undefined {
  if (value === undefined) return null;
  const match = /^(\d{1,15})\.(.+)$/.exec(value);
  if (!match || !isUuid(match[2])) return undefined;
  return { createdAt: Number(match[1]), id: match[2] };
}

function page(rows: readonly Row[], before: ListCursor | null) {
  const shown = rows.slice(0, LIST_PAGE_SIZE);
  const last = shown[shown.length - 1];
  const next = rows.length > LIST_PAGE_SIZE && last ? { createdAt: last.createdAt, id: last.id } : null;
  return { rows: shown, before, next, now: Date.now() };
}

/** The page, or (`partial`) the table that `#invitation-list` refetches when an invitation changes. */
async function invitationList(c: Ctx, partial: boolean) {
  const before = parseCursor(c.req.query('before'));
  if (before === undefined) return renderNotFound(c);
  const { user, out: rows } = await authenticate(c, listInvitations(before));
  if (!canInvite(user)) return forbidden(c);
  const props = page(rows, before);
  if (!partial) return renderPage(c, 'Invitations', <InvitationsPage {...props} />);
  return render(c, {
    title: 'Invitations',
    partial: <InvitationTable {...props} />,
    page: <InvitationsPage {...props} />,
  });
}

invitationRoutes.get('/invitations', (c) => invitationList(c, false));
invitationRoutes.get('/invitations/list', (c) => invitationList(c, true));

function inviteModal(
  c: Ctx,
  projects: readonly ProjectChoice[],
  opts: { values?: Record<string, string>; errors?: FieldErrors } = {},
  status: 200 | 422 = 200,
) {
  return renderModal(c, { title: 'Invite people', body: <InviteForm projects={projects} {...opts} /> }, status);
}

invitationRoutes.get('/invitations/new', async (c) => {
  const { user, out: projects } = await authenticate(c, listInvitableProjects());
  if (!canInvite(user)) return forbidden(c);
  return inviteModal(c, projects);
});

invitationRoutes.post('/invitations', rateLimit('INVITE_LIMITER', 'invite'), async (c) => {
  const db = c.get('db');
  const { user, out: projects } = await authenticate(c, listInvitableProjects());
  if (!canInvite(user)) return forbidden(c);
  const body = await readForm(c);
  const parsed = parseForm(inviteSchema, body);
  if (!parsed.success) {
    return inviteModal(c, projects, { values: formValues(body), errors: parsed.errors }, 422);
  }
  const { emails, role, projectId } = parsed.data;
  const result = await inviteByEmail(db, {
    emails,
    role,
    projectId,
    senderId: user.id,
    now: Date.now(),
    ttlMs: ttlMs(c),
    secret: c.get('config').TOKEN_SECRET,
    formKey: formKeyOf(body[FORM_KEY_FIELD]),
  });
  if (!result.ok) {
    const errors = { project: 'This project is no longer available. Choose another one.' };
    return inviteModal(c, projects, { values: formValues(body), errors }, 422);
  }
  await enqueueMail(c.env, result.messages);

  const onlyInvitations = result.outcomes.every((o) => o.kind === 'invited' || o.kind === 'resent');
  if (onlyInvitations) {
    return modalDoneOrRedirect(c, LIST_UPDATED, '/invitations');
  }
  // Some addresses already had an account: the manager is told which, so the modal stays open with a summary.
  trigger(c, LIST_UPDATED);
  const projectName = projects.find((p) => p.id === projectId)?.name ?? null;
  return renderModal(c, {
    title: 'Invitations',
    body: <InviteSummary outcomes={result.outcomes} projectName={projectName} />,
  });
});

/** Resend and revoke answer the updated row for htmx (swapped in place) and go back to the list otherwise. */
function rowAnswer(c: Ctx, row: Row, status: 200 | 409 = 200) {
  return htmxOrRedirect(c, '/invitations', () => c.html(<InvitationRow row={row} now={Date.now()} />, status));
}

/** A malformed invitation id is a 404 before any query. */
const idParam = validParams({ id: isUuid });

async function loadForManager(c: Ctx) {
  const { user, out: row } = await authenticate(c, findInvitation(c.req.param('id')!));
  if (!canInvite(user)) return { response: forbidden(c) } as const;
  if (!row) return { response: renderNotFound(c) } as const;
  return { row } as const;
}

invitationRoutes.post('/invitations/:id/resend', rateLimit('INVITE_LIMITER', 'invite'), idParam, async (c) => {
  const loaded = await loadForManager(c);
  if ('response' in loaded) return loaded.response;
  const status = invitationStatus(loaded.row, Date.now());
  // A used or revoked invitation cannot come back; the row is redrawn so the manager sees why.
  if (status === 'used' || status === 'revoked') return rowAnswer(c, loaded.row, 409);
  const { row, messages } = await resendInvitation(c.get('db'), {
    invitation: loaded.row,
    now: Date.now(),
    ttlMs: ttlMs(c),
    secret: c.get('config').TOKEN_SECRET,
  });
  await enqueueMail(c.env, messages);
  return rowAnswer(c, row ?? loaded.row, messages.length > 0 ? 200 : 409);
});

/** The question before revoking, as a page (the list's Revoke button without JavaScript); it changes nothing. */
invitationRoutes.get('/invitations/:id/revoke', idParam, async (c) => {
  const loaded = await loadForManager(c);
  if ('response' in loaded) return loaded.response;
  // Used, revoked or expired meanwhile: nothing to ask, the list shows where it stands.
  if (invitationStatus(loaded.row, Date.now()) !== 'pending') return c.redirect('/invitations', 303);
  return renderModal(c, {
    title: `Revoke the invitation for ${loaded.row.email}?`,
    body: <RevokeInvitationForm row={loaded.row} />,
  });
});

invitationRoutes.post('/invitations/:id/revoke', idParam, async (c) => {
  const loaded = await loadForManager(c);
  if ('response' in loaded) return loaded.response;
  const status = invitationStatus(loaded.row, Date.now());
  if (status === 'used' || status === 'revoked') return rowAnswer(c, loaded.row, 409);
  const row = (await runPlan(c.get('db'), revokeInvitation(loaded.row.id, Date.now()))) ?? loaded.row;
  // Used in the meantime: the row shows it, with 409.
  return rowAnswer(c, row, row.revokedAt !== null ? 200 : 409);
});

/** The link of a pending invitation whose email could not be delivered, for the manager to pass on. */
invitationRoutes.get('/invitations/:id/link', noStoreNoReferrer(), idParam, async (c) => {
  const loaded = await loadForManager(c);
  if ('response' in loaded) return loaded.response;
  const { row } = loaded;
  if (invitationStatus(row, Date.now()) !== 'pending' || row.deliveryState !== 'FAILED') return renderNotFound(c);
  const link = await invitationLink(c.get('config').TOKEN_SECRET, c.get('config').APP_ORIGIN, row);
  const view = <InvitationLink id={row.id} email={row.email} link={link} />;
  return render(c, { title: 'Invitation link', partial: view, page: <section class="modal-page">{view}</section> });
});

invitationRoutes.route('/', joinRoutes);
