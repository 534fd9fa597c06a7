/** @module views/error-page — 403, 404, 410, 413, 429 and 500 answers, as a page or as a partial. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../env';
import { render } from '../web/render';
import { Modal } from './modal';

export function ErrorMessage({ title, message }: { title: string; message: string }) {
  return (
    <article class="error-page" aria-labelledby="error-title">
      <h1 id="error-title">{title}</h1>
      <p>{message}</p>
      <p>
        <a href="/">Back to your projects</a>
      </p>
    </article>
  );
}

/** An error as a page, or for htmx as a closable card (it usually lands in the modal, whose contract says 4xx swaps). */
export function renderError(
  c: Context<AppEnv>,
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

export const notFoundMessage =
  'There is nothing here. The link may be mistyped, or it may point to something you cannot see.';

/** The 404 for anything unknown, malformed or not visible to this user: the page never says which. */
export function renderNotFound(c: Context<AppEnv>): Response | Promise<Response> {
  return renderError(c, 404, 'Not found', notFoundMessage);
}
