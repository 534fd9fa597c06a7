/** @module web/render — the responders: the one place that decides between a full page and a partial, errors included. */
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../env';
import { ErrorMessage, notFoundMessage } from '../views/error-page';
import { Layout } from '../views/layout';
import { Modal } from '../views/modal';
import { isHtmx } from './htmx';
import { projectPath } from './paths';
import { safeNextPath } from './redirects';

type Ctx = Context<AppEnv>;

export function renderPage(c: Ctx, title: string, body: Child, status: ContentfulStatusCode = 200) {
  return c.html(
    <Layout title={title} nonce={c.get('secureHeadersNonce') ?? ''} user={c.get('user')} unread={c.get('inboxUnread')}>
      {body}
    </Layout>,
    status,
  );
}

/** A fragment for htmx, or the same fragment inside the layout (with `page` as a richer wrapper when given). */
export function render(
  c: Ctx,
  opts: { title: string; partial: Child; page?: Child },
  status: ContentfulStatusCode = 200,
) {
  if (isHtmx(c)) return c.html(<>{opts.partial}</>, status);
  return renderPage(c, opts.title, opts.page ?? opts.partial, status);
}

/**
 * A modal's content: alone for htmx (it lands in `#dialog`), or as a page of its own when the URL is opened
 * directly, so links work in a new tab and forms submit without JavaScript.
 */
export function renderModal(
  c: Ctx,
  opts: { title: string; body: Child; wide?: boolean },
  status: ContentfulStatusCode = 200,
) {
  const modal = (page: boolean) => (
    <Modal title={opts.title} wide={opts.wide ?? false} page={page} back={page ? backPath(c) : undefined}>
      {opts.body}
    </Modal>
  );
  return render(
    c,
    { title: opts.title, partial: modal(false), page: <section class="modal-page">{modal(true)}</section> },
    status,
  );
}

/**
 * Where a form opened as a page returns on Cancel or ×: the page the user came from (same origin, not this page
 * itself), else the project the URL is in, else the dashboard.
 */
export function backPath(c: Ctx): string {
  const here = new URL(c.req.url);
  const referer = c.req.header('Referer');
  if (referer) {
    try {
      const from = new URL(referer);
      if (from.origin === here.origin && from.pathname !== here.pathname) {
        return safeNextPath(from.pathname + from.search, '/');
      }
    } catch {
      // A malformed Referer is ignored.
    }
  }
  const project = /^\/p\/([A-Z]{2,6})(\/|$)/.exec(here.pathname);
  if (project) return projectPath(project[1]!);
  if (here.pathname.startsWith('/invitations')) return '/invitations';
  return '/';
}

/** An error as a page, or for htmx as a closable card (it usually lands in the modal, whose contract says 4xx swaps). */
export function renderError(
  c: Ctx,
  status: ContentfulStatusCode,
  title: string,
  message: string,
): Response | Promise<Response> {
  return render(
    c,
    {
      title,
      partial: (
        <Modal title={title}>
          <p class="error-message">{message}</p>
        </Modal>
      ),
      page: <ErrorMessage title={title} message={message} />,
    },
    status,
  );
}

/** The 404 for anything unknown, malformed or not visible to this user: the page never says which. */
export function renderNotFound(c: Ctx): Response | Promise<Response> {
  return renderError(c, 404, 'Not found', notFoundMessage);
}
