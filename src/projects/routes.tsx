/** @module projects/routes — dashboard, project create/edit/archive/delete and members. */
import { Hono } from 'hono/tiny';
import type { Context } from 'hono';
import { authenticate } from '../auth/authenticate';
import { canManageProjects } from '../auth/permissions';
import type { Project, User } from '../db/schema';
import type { AppEnv } from '../env';
import { isUuid } from '../lib/crypto';
import { enqueueMail } from '../mail/producer';
import type { FieldErrors } from '../views/fields';
import { formValidator, parseForm, readForm } from '../web/forms';
import { clientRedirect, htmxOrRedirect, isHtmx, modalDoneOrRedirect, trigger } from '../web/htmx';
import { validParams } from '../web/params';
import { projectPagePath, projectPath } from '../web/paths';
import { render, renderError, renderModal, renderNotFound, renderPage } from '../web/render';
import { findProject, isProjectKey } from './queries';
import {
  addMember,
  createProject,
  deleteProject,
  listMembers,
  listProjects,
  removeMember,
  setProjectArchived,
  updateProject,
  type MembersView,
  type ProjectCard,
} from './service';
import { formKeyOf } from '../db/form-keys';
import { announce, revoke, revokeAll } from '../live';
import { addMemberSchema, createProjectSchema, deleteProjectSchema, editProjectSchema } from './schemas';
import { DashboardPage, ProjectList } from './views/dashboard';
import { DeleteProjectForm } from './views/delete-project';
import { MembersPanel, RemoveMemberForm } from './views/members';
import { NewProjectForm, ProjectSettings } from './views/project-form';

type Ctx = Context<AppEnv>;

export const projectRoutes = new Hono<AppEnv>();

const forbidden = (c: Ctx) =>
  renderError(c, 403, 'Not allowed', 'Only managers can create projects, change them and manage their members.');

/** 404 for a project the user cannot see (its existence stays hidden), then 403 for a non-manager. */
function refuse(c: Ctx, user: User, project: Project | null) {
  if (!project) return renderNotFound(c);
  if (!canManageProjects(user)) return forbidden(c);
  return null;
}

/** A malformed key (or member id) in the URL is a 404 before any query. */
const projectParams = validParams({ key: isProjectKey, userId: isUuid });

function keyOf(c: Ctx): string {
  return c.req.param('key')!;
}

function listProps(user: User, mine: readonly ProjectCard[], all: readonly ProjectCard[]) {
  return { manager: canManageProjects(user), mine, all: canManageProjects(user) ? all : [] };
}

projectRoutes.get('/', async (c) => {
  const {
    user,
    out: { mine, all },
  } = await authenticate(c, listProjects());
  return renderPage(c, 'Your projects', <DashboardPage {...listProps(user, mine, all)} />);
});

projectRoutes.get('/projects/list', async (c) => {
  const {
    user,
    out: { mine, all },
  } = await authenticate(c, listProjects());
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
    const { user, out } = await authenticate(c, createProject(input, ids));
    if (!canManageProjects(user)) return forbidden(c);
    if (!out.ok) {
      const errors = { key: `The key ${input.key} is already used by another project. Choose another.` };
      return newProjectModal(c, { ...input }, errors, 422);
    }
    return modalDoneOrRedirect(c, { projectListUpdated: null }, projectPath(out.key));
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

projectRoutes.get('/p/:key/settings', projectParams, async (c) => {
  const { user, out: project } = await authenticate(c, findProject(keyOf(c)));
  return refuse(c, user, project) ?? settingsModal(c, project!);
});

projectRoutes.post(
  '/p/:key/settings',
  projectParams,
  formValidator(editProjectSchema, async (c: Ctx, errors, values) => {
    const { user, out: project } = await authenticate(c, findProject(keyOf(c)));
    return refuse(c, user, project) ?? settingsModal(c, project!, values, errors, 422);
  }),
  async (c) => {
    const key = keyOf(c);
    const { user, out: project } = await authenticate(c, updateProject(key, c.req.valid('form')));
    return refuse(c, user, project) ?? projectChanged(c, key, user);
  },
);

for (const [action, archived] of [
  ['archive', true],
  ['unarchive', false],
] as const) {
  projectRoutes.post(`/p/:key/${action}`, projectParams, async (c) => {
    const key = keyOf(c);
    const { user, out: project } = await authenticate(c, setProjectArchived(key, archived, Date.now()));
    return refuse(c, user, project) ?? projectChanged(c, key, user);
  });
}

function projectChanged(c: Ctx, key: string, user: User) {
  announce(c, key, { kind: 'project', by: user });
  return modalDoneOrRedirect(c, { projectListUpdated: null, projectUpdated: null }, projectPath(key));
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

projectRoutes.get('/p/:key/delete', projectParams, async (c) => {
  const { user, out: project } = await authenticate(c, findProject(keyOf(c)));
  return refuse(c, user, project) ?? deleteModal(c, project!);
});

projectRoutes.post('/p/:key/delete', projectParams, async (c) => {
  const key = keyOf(c);
  const parsed = parseForm(deleteProjectSchema, await readForm(c));
  const confirmed = parsed.success && parsed.data.confirmKey === key;
  // The deletion only runs when the typed key matches; the project read with it tells 404 from 403.
  const { user, out: project } = await authenticate(c, confirmed ? deleteProject(key) : findProject(key));
  const refused = refuse(c, user, project);
  if (refused) return refused;
  if (!confirmed) {
    const typed = parsed.success ? parsed.data.confirmKey : '';
    return deleteModal(c, project!, typed, { confirmKey: `Type ${key} exactly to confirm.` }, 422);
  }
  revokeAll(c, key);
  // The page the manager is on may be the deleted project's, so htmx navigates home instead of swapping.
  if (isHtmx(c)) clientRedirect(c, '/');
  return modalDoneOrRedirect(c, { projectListUpdated: null }, '/');
});

// ---- members ----

const membersModal = (c: Ctx, view: MembersView, errors?: FieldErrors, status: 200 | 422 = 200) =>
  renderModal(
    c,
    {
      title: `Members · ${view.project!.name}`,
      body: (
        <MembersPanel
          project={view.project!}
          members={view.members}
          candidates={view.candidates}
          errors={errors ?? {}}
        />
      ),
      wide: true,
    },
    status,
  );

projectRoutes.get('/p/:key/members', projectParams, async (c) => {
  const { user, out } = await authenticate(c, listMembers(keyOf(c)));
  return refuse(c, user, out.project) ?? membersModal(c, out);
});

projectRoutes.post('/p/:key/members', projectParams, async (c) => {
  const key = keyOf(c);
  const parsed = parseForm(addMemberSchema, await readForm(c));
  if (!parsed.success) {
    const { user, out } = await authenticate(c, listMembers(key));
    const errors = { userId: parsed.errors.userId ?? 'Choose a person to add.' };
    return refuse(c, user, out.project) ?? membersModal(c, out, errors, 422);
  }
  const { userId } = parsed.data;
  const { user, out } = await authenticate(
    c,
    addMember(key, userId, { deliveryId: crypto.randomUUID(), now: Date.now() }),
  );
  const refused = refuse(c, user, out.project);
  if (refused) return refused;
  if (!out.added) {
    return membersModal(c, out, { userId: 'That person cannot be added. Choose someone from the list.' }, 422);
  }
  if (out.mail) c.executionCtx.waitUntil(enqueueMail(c.env, [out.mail]));
  announce(c, key, { kind: 'member', by: user });
  return membersChanged(c, out);
});

projectRoutes.get('/p/:key/members/:userId/remove', projectParams, async (c) => {
  const { user, out } = await authenticate(c, listMembers(keyOf(c)));
  const refused = refuse(c, user, out.project);
  if (refused) return refused;
  const member = out.members.find((m) => m.userId === c.req.param('userId'));
  // Already gone (removed meanwhile, or never a member): the list says who is left.
  if (!member) return membersModal(c, out);
  return renderModal(c, {
    title: `Remove ${member.userName}?`,
    body: <RemoveMemberForm project={out.project!} member={member} />,
  });
});

projectRoutes.post('/p/:key/members/:userId/remove', projectParams, async (c) => {
  const key = keyOf(c);
  const userId = c.req.param('userId');
  const { user, out } = await authenticate(c, removeMember(key, userId));
  const refused = refuse(c, user, out.project);
  if (refused) return refused;
  // Their open pages stop listening at once (a manager's reconnect is let in again: managers see every project).
  revoke(c, key, userId);
  announce(c, key, { kind: 'member', by: user });
  return membersChanged(c, out);
});

/** Members changed: the modal re-renders in place for htmx; a plain form post comes back to the members page. */
function membersChanged(c: Ctx, view: MembersView) {
  return htmxOrRedirect(c, projectPagePath(view.project!.key, 'members'), () => {
    // The form that asked is replaced by this very response, so the events are aimed at body, where lists listen.
    trigger(c, { memberListUpdated: { target: 'body' }, projectListUpdated: { target: 'body' } });
    return membersModal(c, view);
  });
}
