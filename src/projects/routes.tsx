/** @module projects/routes — dashboard, project create/edit/archive/delete and members. */
import { Hono } from 'hono/tiny';
import type { Context } from 'hono';
import { canManageProjects } from '../accounts/permissions';
import type { Project, User } from '../db/schema';
import type { AppEnv } from '../env';
import { enqueueMail } from '../mail/producer';
import { authenticate } from '../middleware/session';
import { isUuid } from '../lib/crypto';
import { renderError, renderNotFound } from '../views/error-page';
import type { FieldErrors } from '../views/fields';
import { formValidator, readForm } from '../web/forms';
import { clientRedirect, isHtmx, modalDoneOrRedirect, trigger, varyOnHtmx } from '../web/htmx';
import { render, renderModal, renderPage } from '../web/render';
import { isProjectKey, visibleProjectByKey } from './queries';
import {
  addedToProjectMessage,
  addMemberStatements,
  createOutcome,
  createProjectStatements,
  dashboardStatements,
  deleteProjectStatements,
  memberStatements,
  removeMemberStatement,
  setArchivedStatement,
  updateProjectStatement,
  type Candidate,
  type MemberRow,
  type ProjectCard,
} from './service';
import { formKeyOf } from '../db/form-keys';
import { addMemberSchema, createProjectSchema, deleteProjectSchema, editProjectSchema } from './schemas';
import { DashboardPage, ProjectList } from './views/dashboard';
import { DeleteProjectForm } from './views/delete-project';
import { MembersPanel } from './views/members';
import { NewProjectForm, ProjectSettings } from './views/project-form';

type Ctx = Context<AppEnv>;

export const projectRoutes = new Hono<AppEnv>();

const forbidden = (c: Ctx) =>
  renderError(c, 403, 'Not allowed', 'Only managers can create projects, change them and manage their members.');

/** 404 for a project the user cannot see (its existence stays hidden), then 403 for a non-manager. */
function refuse(c: Ctx, user: User, project: Project | undefined) {
  if (!project) return renderNotFound(c);
  if (!canManageProjects(user)) return forbidden(c);
  return null;
}

/** A malformed key in the URL is a 404 before any query. */
function keyParam(c: Ctx): string | null {
  const key = c.req.param('key');
  return isProjectKey(key) ? key : null;
}

function listProps(user: User, mine: readonly ProjectCard[], all: readonly ProjectCard[]) {
  return { manager: canManageProjects(user), mine, all: canManageProjects(user) ? all : [] };
}

projectRoutes.get('/', async (c) => {
  const { user, results } = await authenticate(c, (me) => dashboardStatements(c.var.db, me));
  const [mine, all] = results;
  return renderPage(c, 'Your projects', <DashboardPage {...listProps(user, mine, all)} />);
});

projectRoutes.get('/projects/list', async (c) => {
  const { user, results } = await authenticate(c, (me) => dashboardStatements(c.var.db, me));
  const [mine, all] = results;
  const list = <ProjectList {...listProps(user, mine, all)} />;
  return render(c, { title: 'Your projects', partial: list, page: <DashboardPage {...listProps(user, mine, all)} /> });
});

// ---- create ----

const newProjectModal = (c: Ctx, values?: Record<string, string>, errors?: FieldErrors, status: 200 | 422 = 200) =>
  renderModal(
    c,
    { title: 'New project', body: <NewProjectForm values={values ?? {}} errors={errors ?? {}} /> },
    status,
  );

projectRoutes.get('/projects/new', async (c) => {
  const { user } = await authenticate(c);
  if (!canManageProjects(user)) return forbidden(c);
  return newProjectModal(c);
});

projectRoutes.post(
  '/projects',
  formValidator(createProjectSchema, async (c: Ctx, errors, values) => {
    const { user } = await authenticate(c);
    if (!canManageProjects(user)) return forbidden(c);
    return newProjectModal(c, values, errors, 422);
  }),
  async (c) => {
    const input = c.req.valid('form');
    const ids = { id: crypto.randomUUID(), now: Date.now(), formKey: formKeyOf(input.form_key) };
    const { user, results } = await authenticate(c, (me) => createProjectStatements(c.var.db, me, input, ids));
    const outcome = createOutcome(user, results[3]);
    if (!outcome.ok) {
      if (outcome.reason === 'forbidden') return forbidden(c);
      const errors = { key: `The key ${input.key} is already used by another project. Choose another.` };
      return newProjectModal(c, { ...input }, errors, 422);
    }
    return modalDoneOrRedirect(c, { projectListUpdated: null }, `/p/${outcome.key}`);
  },
);

// ---- settings: edit, archive, unarchive ----

const settingsModal = (
  c: Ctx,
  project: Project,
  values?: Record<string, string>,
  errors?: FieldErrors,
  status: 200 | 422 = 200,
) =>
  renderModal(
    c,
    {
      title: `Project settings · ${project.key}`,
      body: <ProjectSettings project={project} values={values ?? {}} errors={errors ?? {}} />,
    },
    status,
  );

projectRoutes.get('/p/:key/settings', async (c) => {
  const key = keyParam(c);
  if (!key) return renderNotFound(c);
  const { user, results } = await authenticate(c, (me) => [visibleProjectByKey(c.var.db, me, key)]);
  const project = results[0][0];
  return refuse(c, user, project) ?? settingsModal(c, project!);
});

projectRoutes.post(
  '/p/:key/settings',
  formValidator(editProjectSchema, async (c: Ctx, errors, values) => {
    const key = keyParam(c);
    if (!key) return renderNotFound(c);
    const { user, results } = await authenticate(c, (me) => [visibleProjectByKey(c.var.db, me, key)]);
    const project = results[0][0];
    return refuse(c, user, project) ?? settingsModal(c, project!, values, errors, 422);
  }),
  async (c) => {
    const key = keyParam(c);
    if (!key) return renderNotFound(c);
    const input = c.req.valid('form');
    const { user, results } = await authenticate(c, (me) => [
      visibleProjectByKey(c.var.db, me, key),
      updateProjectStatement(c.var.db, me, key, input),
    ]);
    return (
      refuse(c, user, results[0][0]) ??
      modalDoneOrRedirect(c, { projectListUpdated: null, projectUpdated: null }, `/p/${key}`)
    );
  },
);

for (const [action, archived] of [
  ['archive', true],
  ['unarchive', false],
] as const) {
  projectRoutes.post(`/p/:key/${action}`, async (c) => {
    const key = keyParam(c);
    if (!key) return renderNotFound(c);
    const { user, results } = await authenticate(c, (me) => [
      visibleProjectByKey(c.var.db, me, key),
      setArchivedStatement(c.var.db, me, key, archived, Date.now()),
    ]);
    return (
      refuse(c, user, results[0][0]) ??
      modalDoneOrRedirect(c, { projectListUpdated: null, projectUpdated: null }, `/p/${key}`)
    );
  });
}

// ---- delete ----

const deleteModal = (c: Ctx, project: Project, value?: string, errors?: FieldErrors, status: 200 | 422 = 200) =>
  renderModal(
    c,
    {
      title: `Delete ${project.name}?`,
      body: <DeleteProjectForm project={project} value={value} errors={errors ?? {}} />,
    },
    status,
  );

projectRoutes.get('/p/:key/delete', async (c) => {
  const key = keyParam(c);
  if (!key) return renderNotFound(c);
  const { user, results } = await authenticate(c, (me) => [visibleProjectByKey(c.var.db, me, key)]);
  const project = results[0][0];
  return refuse(c, user, project) ?? deleteModal(c, project!);
});

projectRoutes.post('/p/:key/delete', async (c) => {
  const key = keyParam(c);
  if (!key) return renderNotFound(c);
  const parsed = deleteProjectSchema.safeParse(await readForm(c));
  const confirmed = parsed.success && parsed.data.confirmKey === key;
  // The deletion only joins the batch when the typed key matches; the read before it tells 404 from 403.
  const { user, results } = await authenticate(c, (me) =>
    confirmed
      ? ([visibleProjectByKey(c.var.db, me, key), ...deleteProjectStatements(c.var.db, me, key)] as const)
      : ([visibleProjectByKey(c.var.db, me, key)] as const),
  );
  const project = results[0][0];
  const refused = refuse(c, user, project);
  if (refused) return refused;
  if (!confirmed) {
    const typed = parsed.success ? parsed.data.confirmKey : '';
    return deleteModal(c, project!, typed, { confirmKey: `Type ${key} exactly to confirm.` }, 422);
  }
  // The page the manager is on may be the deleted project's, so htmx navigates home instead of swapping.
  if (isHtmx(c)) clientRedirect(c, '/');
  return modalDoneOrRedirect(c, { projectListUpdated: null }, '/');
});

// ---- members ----

const membersModal = (
  c: Ctx,
  project: Project,
  members: readonly MemberRow[],
  candidates: readonly Candidate[],
  errors?: FieldErrors,
  status: 200 | 422 = 200,
) =>
  renderModal(
    c,
    {
      title: `Members · ${project.name}`,
      body: <MembersPanel project={project} members={members} candidates={candidates} errors={errors ?? {}} />,
      wide: true,
    },
    status,
  );

projectRoutes.get('/p/:key/members', async (c) => {
  const key = keyParam(c);
  if (!key) return renderNotFound(c);
  const { user, results } = await authenticate(c, (me) => [
    visibleProjectByKey(c.var.db, me, key),
    ...memberStatements(c.var.db, me, key),
  ]);
  const [[project], members, candidates] = results;
  return refuse(c, user, project) ?? membersModal(c, project!, members, candidates);
});

projectRoutes.post('/p/:key/members', async (c) => {
  const key = keyParam(c);
  if (!key) return renderNotFound(c);
  const parsed = addMemberSchema.safeParse(await readForm(c));
  const userId = parsed.success ? parsed.data.userId : null;
  const deliveryId = crypto.randomUUID();
  const { user, results } = await authenticate(c, (me) => [
    visibleProjectByKey(c.var.db, me, key),
    ...(userId ? addMemberStatements(c.var.db, me, key, userId, { deliveryId, now: Date.now() }) : []),
    ...memberStatements(c.var.db, me, key),
  ]);
  const project = results[0][0] as Project | undefined;
  const refused = refuse(c, user, project);
  if (refused) return refused;
  const [members, candidates] = results.slice(-2) as [MemberRow[], Candidate[]];
  if (!userId || !members.some((m) => m.userId === userId)) {
    const errors = {
      userId: parsed.success
        ? 'That person cannot be added. Choose someone from the list.'
        : (parsed.error.issues[0]?.message ?? 'Choose a person to add.'),
    };
    return membersModal(c, project!, members, candidates, errors, 422);
  }
  const mailed = (results[3] as { deliveryId: string }[]).length > 0;
  if (mailed) {
    c.executionCtx.waitUntil(enqueueMail(c.env, [addedToProjectMessage(userId, project!.id, deliveryId)]));
  }
  return membersChanged(c, project!, members, candidates);
});

projectRoutes.post('/p/:key/members/:userId/remove', async (c) => {
  const key = keyParam(c);
  const userId = c.req.param('userId');
  if (!key || !isUuid(userId)) return renderNotFound(c);
  const { user, results } = await authenticate(c, (me) => [
    visibleProjectByKey(c.var.db, me, key),
    removeMemberStatement(c.var.db, me, key, userId),
    ...memberStatements(c.var.db, me, key),
  ]);
  const [[project], , members, candidates] = results;
  return refuse(c, user, project) ?? membersChanged(c, project!, members, candidates);
});

/** Members changed: the modal re-renders in place for htmx; a plain form post comes back to the members page. */
function membersChanged(c: Ctx, project: Project, members: readonly MemberRow[], candidates: readonly Candidate[]) {
  if (!isHtmx(c)) {
    varyOnHtmx(c);
    return c.redirect(`/p/${project.key}/members`, 303);
  }
  // The form that asked is replaced by this very response, so the events are aimed at body, where lists listen.
  trigger(c, { memberListUpdated: { target: 'body' }, projectListUpdated: { target: 'body' } });
  return membersModal(c, project, members, candidates);
}
