// hticket's few lines of browser code: the modal dialog around htmx swaps. No inline scripts (the CSP forbids them).
(() => {
  'use strict';
  // Styles can tell pages where htmx runs (e.g. the list filters need no submit button there).
  if (window.htmx) document.documentElement.classList.add('htmx');
  const dialog = () => document.getElementById('modal');
  let returnFocusTo = null;

  function openModal() {
    const d = dialog();
    if (!d || d.open) return;
    if (!returnFocusTo) returnFocusTo = document.activeElement;
    d.showModal();
    const autofocus = d.querySelector('[autofocus]');
    (autofocus || d.querySelector('input:not([type=hidden]), select, textarea, button:not([rel=prev])') || d).focus();
  }

  function closeModal() {
    const d = dialog();
    if (d && d.open) d.close();
  }

  document.addEventListener('htmx:before:request', (evt) => {
    const source = evt.target;
    if (source instanceof Element && !source.closest('#modal')) returnFocusTo = source;
  });

  // Content that lands in #dialog opens the modal; htmx dispatches after:settle on the swap target.
  document.addEventListener('htmx:after:settle', (evt) => {
    const target = evt.target;
    if (target instanceof Element && target.id === 'dialog' && target.childElementCount > 0) openModal();
  });

  // HX-Trigger events bubble to body, or reach document when their source left the page.
  document.addEventListener('modal:close', closeModal);

  document.addEventListener('click', (evt) => {
    const target = evt.target;
    if (!(target instanceof Element)) return;
    const closer = target.closest('[data-close-modal]');
    if (closer) {
      evt.preventDefault();
      if (closer.closest('#modal')) closeModal();
      else closer.closest('article')?.remove();
      return;
    }
    // A click on the backdrop (the dialog element itself, outside its content) closes it.
    if (target === dialog()) closeModal();
  });

  document.addEventListener(
    'close',
    (evt) => {
      if (evt.target !== dialog()) return;
      const content = document.getElementById('dialog');
      if (content) content.replaceChildren();
      const back = returnFocusTo;
      returnFocusTo = null;
      if (back instanceof HTMLElement && back.isConnected) back.focus();
    },
    true,
  );

  // `<button data-copy="field-id">` copies that field's value (e.g. an invitation link a manager passes on).
  document.addEventListener('click', async (evt) => {
    const button = evt.target instanceof Element ? evt.target.closest('[data-copy]') : null;
    const field = button && document.getElementById(button.getAttribute('data-copy'));
    if (!(field instanceof HTMLInputElement)) return;
    field.select();
    try {
      await navigator.clipboard.writeText(field.value);
    } catch {
      document.execCommand('copy');
    }
    button.textContent = 'Copied';
  });

  window.hticket = { openModal, closeModal };
})();

// ---- Tickets: the board ------------------------------------------------------------------------------------------
// Cards are dragged natively between status columns; a drop POSTs the new status to the card's link + `/status`.
// Keyboard and touch users have the board's one "Move to" control, which follows the focus into the card it moves.
// The board refreshes itself on ticketListUpdated.
(() => {
  'use strict';
  let dragged = null;
  let boardFocus = null;

  const cardOf = (target) => (target instanceof Element ? target.closest('#board .card') : null);
  const columnOf = (target) => (target instanceof Element ? target.closest('[data-drop-status]') : null);
  const linkOf = (card) => card.querySelector('a.card-title');
  const statusUrl = (card) => `${linkOf(card)?.getAttribute('href')}/status`;
  const clearTargets = () => {
    for (const el of document.querySelectorAll('.drop-target')) el.classList.remove('drop-target');
  };
  const move = (card, status) => {
    if (!status || status === card.dataset.status || !window.htmx) return;
    window.htmx.ajax('POST', statusUrl(card), { source: card, values: { status }, swap: 'none' });
  };

  /** Puts the move control in this card, set to its status and labelled with its ticket. */
  const attachControl = (card) => {
    const form = document.getElementById('board-move');
    if (!form || !card) return null;
    form.hidden = false;
    // Set up only when it arrives in a card: focus moving within the card keeps the status being chosen.
    if (form.parentElement === card) return form;
    card.append(form);
    const select = form.querySelector('select');
    if (select) select.value = card.dataset.status || '';
    const label = form.querySelector('label');
    const key = card.querySelector('.card-meta')?.firstChild?.textContent?.trim();
    if (label && key) label.textContent = `Move ${key} to`;
    return form;
  };

  document.addEventListener('focusin', (evt) => {
    const card = cardOf(evt.target);
    if (card) attachControl(card);
  });

  document.addEventListener('submit', (evt) => {
    const form = evt.target;
    if (!(form instanceof HTMLFormElement) || form.id !== 'board-move') return;
    evt.preventDefault();
    const card = cardOf(form);
    const select = form.querySelector('select');
    if (card && select) move(card, select.value);
  });

  document.addEventListener('dragstart', (evt) => {
    const card = cardOf(evt.target);
    if (!card || !evt.dataTransfer) return;
    dragged = card;
    card.classList.add('dragging');
    evt.dataTransfer.effectAllowed = 'move';
    evt.dataTransfer.setData('text/plain', linkOf(card)?.textContent || '');
  });

  document.addEventListener('dragend', () => {
    if (dragged) dragged.classList.remove('dragging');
    dragged = null;
    clearTargets();
  });

  document.addEventListener('dragover', (evt) => {
    const column = dragged ? columnOf(evt.target) : null;
    if (!column) return;
    evt.preventDefault();
    if (evt.dataTransfer) evt.dataTransfer.dropEffect = 'move';
    if (!column.classList.contains('drop-target')) {
      clearTargets();
      column.classList.add('drop-target');
    }
  });

  document.addEventListener('drop', (evt) => {
    const column = columnOf(evt.target);
    const card = dragged;
    if (!column || !card) return;
    evt.preventDefault();
    clearTargets();
    const status = column.dataset.dropStatus;
    if (!status || status === card.dataset.status || !window.htmx) return;
    // Shown in its new column at once; the refresh that follows brings the server's truth.
    column.querySelector('ul')?.append(card);
    move(card, status);
  });

  // After a move the board is replaced: put the focus back on the moved card's control.
  // The wish expires: a later, unrelated swap must not pull focus back to an old card.
  document.addEventListener('htmx:before:request', () => {
    const card = cardOf(document.activeElement);
    const href = card ? linkOf(card)?.getAttribute('href') : null;
    if (href) boardFocus = { href, until: Date.now() + 3000 };
  });
  document.addEventListener('htmx:after:settle', () => {
    if (!boardFocus) return;
    if (Date.now() > boardFocus.until) {
      boardFocus = null;
      return;
    }
    const active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    const link = [...document.querySelectorAll('#board a.card-title')].find(
      (a) => a.getAttribute('href') === boardFocus.href,
    );
    if (!link) return;
    boardFocus = null;
    attachControl(link.closest('.card'))?.querySelector('select')?.focus();
  });
})();
