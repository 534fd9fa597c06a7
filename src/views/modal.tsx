/** @module views/modal — the content of the one `<dialog id="modal">`: a labelled Pico article. */
import type { Child } from 'hono/jsx';

export interface ModalProps {
  title: string;
  children?: Child;
  footer?: Child;
  wide?: boolean;
}

/** Rendered alone into `#dialog` for htmx, or inside a page (see web/render) when opened directly. */
export function Modal({ title, children, footer, wide }: ModalProps) {
  return (
    <article class={wide ? 'modal wide' : 'modal'}>
      <header>
        <button type="button" rel="prev" aria-label="Close" data-close-modal></button>
        <h2 id="modal-title">{title}</h2>
      </header>
      {children}
      {footer ? <footer>{footer}</footer> : null}
    </article>
  );
}
