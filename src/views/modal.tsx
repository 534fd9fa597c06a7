/** @module views/modal — the content of the one `<dialog id="modal">`: a labelled Pico article, its forms and their footer. */
import type { Child } from 'hono/jsx';
import { SAFE_SUBMIT } from './fields';

export interface ModalProps {
  title: string;
  children?: Child;
  footer?: Child;
  wide?: boolean;
  /** Opened as a page of its own: the heading is the page's h1. */
  page?: boolean;
  /** Where the page's close control leads (the referring page, or the project). */
  back?: string | undefined;
  /** The address of what the modal shows; app.js puts it in the address bar while the modal is open. */
  url?: string | undefined;
  /** More attributes for the modal's element (e.g. how it refreshes itself). */
  attrs?: Record<string, string> | undefined;
}

/** Rendered alone into `#dialog` for htmx, or inside a page (see web/render) when opened directly. */
export function Modal({ title, children, footer, wide, page, back, url, attrs }: ModalProps) {
  return (
    <article
      class={wide ? 'modal wide' : 'modal'}
      data-modal-url={url}
      data-back={page ? (back ?? '/') : undefined}
      {...attrs}
    >
      <header>
        {/* On a page of its own, closing goes back to where the user came from, with or without JavaScript. */}
        {page ? (
          <a href={back ?? '/'} rel="prev" aria-label="Close" data-close-modal></a>
        ) : (
          <button type="button" rel="prev" aria-label="Close" data-close-modal></button>
        )}
        {/* `#modal-title` labels the dialog, so a page must not hold it: a modal opened from the page would be
            named by the page's heading. */}
        {page ? <h1 id="page-title">{title}</h1> : <h2 id="modal-title">{title}</h2>}
      </header>
      {children}
      {footer ? <footer>{footer}</footer> : null}
    </article>
  );
}

/** A link shown as a button that opens `href` in the modal, or as a page of its own without JavaScript. */
export function ModalButton({ href, class: className, children }: { href: string; class?: string; children?: Child }) {
  return (
    <a href={href} role="button" class={className} hx-get={href} hx-target="#dialog">
      {children}
    </a>
  );
}

/**
 * A form in the modal: it posts with htmx, the answer replacing the modal's content (or the page without
 * JavaScript), and a second submit while the first is on its way is dropped (SAFE_SUBMIT).
 */
export function ModalForm({
  action,
  class: className,
  novalidate,
  attrs,
  children,
}: {
  action: string;
  class?: string;
  novalidate?: boolean;
  /** Further attributes of the form (data-* names for the page's script). */
  attrs?: Record<string, string>;
  children?: Child;
}) {
  return (
    <form
      method="post"
      action={action}
      hx-post={action}
      hx-target="#dialog"
      class={className}
      novalidate={novalidate}
      {...attrs}
      {...SAFE_SUBMIT}
    >
      {children}
    </form>
  );
}

/**
 * The footer of a modal form: Cancel, then the action. A destructive action (`danger`) is styled as one; with
 * `cancelFirst` focus starts on Cancel, so Enter right after opening does nothing harmful.
 */
export function ModalActions({
  submit,
  danger,
  cancelFirst,
}: {
  submit: string;
  danger?: boolean;
  cancelFirst?: boolean;
}) {
  return (
    <div class="actions">
      <button type="button" class="secondary" data-close-modal autofocus={cancelFirst}>
        Cancel
      </button>
      <button type="submit" class={danger ? 'danger' : undefined}>
        {submit}
      </button>
    </div>
  );
}
