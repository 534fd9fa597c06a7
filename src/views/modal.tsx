/** @module views/modal — the content of the one `<dialog id="modal">`: a labelled Pico article. */
import type { Child } from 'hono/jsx';

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
