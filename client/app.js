// hticket's few lines of browser code: the modal dialog around htmx swaps. No inline scripts (the CSP forbids them).
(() => {
  'use strict';
  // Styles can tell pages where htmx runs (e.g. the list filters need no submit button there).
  if (window.htmx) document.documentElement.classList.add('htmx');
  const dialog = () => document.getElementById('modal');
  let returnFocusTo = null;

  // Never a destructive control ([data-danger], .danger): a stray Enter must not remove or delete anything.
  const SAFE_CONTROL = ':not([rel=prev]):not([data-danger]):not(.danger)';
  function focusFirst(d) {
    const autofocus = d.querySelector('[autofocus]');
    const first = d.querySelector(`input:not([type=hidden]), select, textarea, button${SAFE_CONTROL}`);
    (autofocus || first || d).focus();
  }

  function openModal() {
    const d = dialog();
    if (!d) return;
    syncAddress();
    // Named by the title of what it shows; the layout's empty dialog points at nothing.
    if (d.querySelector('#modal-title')) d.setAttribute('aria-labelledby', 'modal-title');
    else d.removeAttribute('aria-labelledby');
    if (d.open) return;
    if (!returnFocusTo) returnFocusTo = document.activeElement;
    d.showModal();
    openedAt = Date.now();
    focusFirst(d);
  }

  function closeModal() {
    const d = dialog();
    if (!d || !d.open) return;
    d.close();
    // At once, not on the close event: that event is queued, and a Forward that reopens the modal may come first.
    afterClose();
  }

  // What follows every close (by closeModal, Escape or the browser): done once per opening.
  let openedAt = 0;
  function afterClose() {
    if (!openedAt) return;
    openedAt = 0;
    const content = document.getElementById('dialog');
    if (content) content.replaceChildren();
    dialog()?.removeAttribute('aria-labelledby');
    leaveModalEntry();
    const back = returnFocusTo;
    returnFocusTo = null;
    // The control that opened the modal; when it is gone (the deleted ticket's row) or cannot take focus (a list's
    // refresher that asked meanwhile), the page's main region, never the body.
    if (back instanceof HTMLElement && back.isConnected) back.focus();
    if (!document.activeElement || document.activeElement === document.body) document.getElementById('main')?.focus();
  }

  // ---- The modal's address ------------------------------------------------------------------------------------
  // A modal that shows something with an address of its own (a ticket: data-modal-url) puts it in the address bar,
  // so it can be copied, reloaded or opened in a new tab. Back closes the modal, Forward opens it again.
  // Our entries carry { htmx: true, hticketModal: url } (htmx stamps any entry without its flag, which would drop
  // ours). htmx restores a page on every traversal to a flagged entry; for ours, and for going back to the page under
  // the modal, that restore is cancelled: the page is already there.
  let modalEntry = null;
  let restoringModal = false;
  // Our own history.back() after the modal was closed: its popstate needs nothing done.
  let ownBack = false;
  // Set by each traversal that this code handles itself: htmx's page restore for it is cancelled.
  let cancelRestore = false;

  function syncAddress() {
    const el = document.querySelector('#dialog > [data-modal-url]');
    const url = el ? el.getAttribute('data-modal-url') : null;
    if (!url || restoringModal) {
      restoringModal = false;
      return;
    }
    if (location.pathname + location.search === url) return;
    if (modalEntry) history.replaceState({ htmx: true, hticketModal: url }, '', url);
    else history.pushState({ htmx: true, hticketModal: url }, '', url);
    modalEntry = url;
  }

  function leaveModalEntry() {
    if (!modalEntry) return;
    modalEntry = null;
    if (history.state && history.state.hticketModal) {
      ownBack = true;
      history.back();
    }
  }

  // Every Back and Forward: decided here, at once, from the entry reached (htmx's restore runs a moment later).
  window.addEventListener('popstate', (evt) => {
    cancelRestore = false;
    const state = evt.state || {};
    const d = dialog();
    if (ownBack) {
      ownBack = false;
      cancelRestore = true;
      return;
    }
    if (state.hticketModal && window.htmx) {
      // Forward (or Back) onto a modal's entry: show it again over the page that is still there.
      cancelRestore = true;
      if (modalEntry === state.hticketModal && d && d.open) return;
      modalEntry = state.hticketModal;
      restoringModal = true;
      window.htmx.ajax('GET', state.hticketModal, { target: '#dialog', swap: 'innerHTML' }).then(openModal);
      return;
    }
    if (modalEntry || (d && d.open)) {
      // Back from a modal: close it; the page under it is the page to go back to.
      cancelRestore = true;
      modalEntry = null;
      closeModal();
    }
  });

  // Where the Navigation API exists, htmx intercepts Back and Forward with it, and an intercepted navigation resets
  // focus to the body when its handler ends, unless told otherwise. This code puts focus where it belongs on each
  // traversal (the control that opened a modal, the main region, the modal's first field), so the reset would undo
  // that a moment later: the focus stays ours.
  if (window.navigation) {
    window.navigation.addEventListener('navigate', (evt) => {
      if (evt.navigationType === 'traverse' && evt.canIntercept && !evt.hashChange) {
        evt.intercept({ focusReset: 'manual' });
      }
    });
  }

  document.addEventListener('htmx:before:history:restore', (evt) => {
    if (!cancelRestore) return;
    cancelRestore = false;
    evt.preventDefault();
  });

  // Requests made while a modal was open (its own refreshes: the members list after a change elsewhere).
  const askedWhileOpen = new WeakSet();
  document.addEventListener('htmx:before:request', (evt) => {
    const source = evt.target;
    const d = dialog();
    if (source instanceof Element && d && d.open) askedWhileOpen.add(source);
    // While a modal is open, requests from the page under it are refreshes (a list after a save), not openers.
    if (source instanceof Element && !source.closest('#modal') && !(d && d.open)) returnFocusTo = source;
  });

  // Content that lands in #dialog opens the modal; htmx dispatches after:settle on the swap target. An answer to a
  // request made while the modal was open, arriving after the user closed it, does not open it again.
  document.addEventListener('htmx:after:settle', (evt) => {
    const target = evt.target;
    if (!(target instanceof Element) || target.id !== 'dialog' || target.childElementCount === 0) return;
    const source = evt.detail && evt.detail.task && evt.detail.task.sourceElement;
    const d = dialog();
    if (source instanceof Element && askedWhileOpen.has(source) && !(d && d.open)) {
      askedWhileOpen.delete(source);
      target.replaceChildren();
      return;
    }
    if (source instanceof Element) askedWhileOpen.delete(source);
    openModal();
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
      else {
        // A form opened as a page of its own: leave for the page it came from (or its project).
        const back = closer.closest('[data-back]');
        window.location.assign(back ? back.getAttribute('data-back') : '/');
      }
      return;
    }
    // A click on the backdrop (the dialog element itself, outside its content) closes it.
    if (target === dialog()) closeModal();
  });

  document.addEventListener(
    'close',
    (evt) => {
      const d = dialog();
      // A late close event for a modal that has been opened again since is not this one's.
      if (evt.target !== d || d.open) return;
      afterClose();
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

  // A request still running after ~150 ms shows the top bar (html.loading).
  let running = 0;
  let loadingTimer = 0;
  document.addEventListener('htmx:before:request', () => {
    running++;
    if (running === 1) {
      loadingTimer = window.setTimeout(() => document.documentElement.classList.add('loading'), 150);
    }
  });
  document.addEventListener('htmx:finally:request', () => {
    running = Math.max(0, running - 1);
    if (running > 0) return;
    window.clearTimeout(loadingTimer);
    document.documentElement.classList.remove('loading');
  });

  // ---- Focus after a swap ------------------------------------------------------------------------------------------
  // A swap that removes the focused element (a refreshed list, a comments section, a replaced row) would drop focus
  // to the page body. Put it back on the same thing when it is still there (same id or link), else on the first
  // control of what was swapped in, else on the main region.
  let lostFocus = null;
  document.addEventListener('htmx:before:swap', (evt) => {
    // A submit button that was disabled during its request has already lost focus: its form stands for it.
    let active = document.activeElement;
    if (!active || active === document.body) active = evt.detail && evt.detail.ctx && evt.detail.ctx.sourceElement;
    if (!(active instanceof Element) || active === document.body) return;
    lostFocus = { el: active, id: active.id, href: active.getAttribute('href') };
  });
  document.addEventListener('htmx:after:settle', (evt) => {
    const was = lostFocus;
    lostFocus = null;
    // After the handlers that know better (the board refocuses its moved card) have had their turn.
    if (was) window.setTimeout(() => refocus(was, evt.target), 0);
  });
  function refocus(was, swapped) {
    const active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    if (was.el.isConnected) {
      was.el.focus();
      // A source that cannot take focus (a hidden refresher) does not count.
      if (document.activeElement === was.el) return;
    }
    const d = dialog();
    const scope = d && d.open ? d : document;
    let next = (was.id && document.getElementById(was.id)) || null;
    if (!next && was.href) next = scope.querySelector(`a[href="${CSS.escape(was.href)}"]`);
    // An outerHTML swap leaves the old element detached; its replacement has the same id.
    let target = swapped instanceof Element ? swapped : null;
    if (target && !target.isConnected) target = target.id ? document.getElementById(target.id) : null;
    if (!next && target) {
      next = target.querySelector(
        `[autofocus], textarea, input:not([type=hidden]), select, a[href]${SAFE_CONTROL}, button${SAFE_CONTROL}`,
      );
    }
    if (!next && d && d.open) return focusFirst(d);
    (next || document.getElementById('main'))?.focus();
  }

  // `<button data-copy-link="/p/NEX/t/3">` copies that address, whole, and says so.
  document.addEventListener('click', async (evt) => {
    const button = evt.target instanceof Element ? evt.target.closest('[data-copy-link]') : null;
    if (!button) return;
    const url = new URL(button.getAttribute('data-copy-link'), location.href).href;
    try {
      await navigator.clipboard.writeText(url);
      announce('Link copied');
    } catch {
      window.prompt('Copy this link', url);
    }
    button.textContent = 'Link copied';
  });

  /** Says something to screen readers through the one polite live region. */
  function announce(text) {
    let region = document.getElementById('announcer');
    if (!region) {
      region = document.createElement('div');
      region.id = 'announcer';
      region.className = 'visually-hidden';
      region.setAttribute('aria-live', 'polite');
      document.body.append(region);
    }
    region.textContent = '';
    window.setTimeout(() => (region.textContent = text), 50);
  }

  // An edit saved in the modal: back to the ticket's view in the same modal when it was opened over a list (its
  // address is in the bar); on the ticket's own page the page refreshes itself and the modal closes.
  document.addEventListener('ticketSaved', (evt) => {
    const url = (evt.detail || {}).url;
    if (url && modalEntry === url && window.htmx) {
      restoringModal = true;
      window.htmx.ajax('GET', url, { target: '#dialog', swap: 'innerHTML' }).then(() => {
        restoringModal = false;
        focusFirst(dialog());
      });
    } else closeModal();
  });

  // A ticket deleted while its own page is shown (not the modal over a list): nothing is left here, go to the list.
  document.addEventListener('ticketDeleted', (evt) => {
    const detail = evt.detail || {};
    // The deleted ticket's row opened the modal and is about to go: focus returns to the list's region instead.
    if (returnFocusTo instanceof Element && returnFocusTo.getAttribute('href') === detail.url) {
      returnFocusTo = document.getElementById('main');
    }
    const page = document.querySelector('main .modal-page [data-modal-url]');
    if (page && page.getAttribute('data-modal-url') === detail.url) window.location.assign(detail.list);
  });

  window.hticket = { openModal, closeModal, announce, focusFirst };
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
    // The card's version: a move made from a stale board is refused (409) and the board refreshes instead.
    const values = { status, version: card.dataset.version || '' };
    window.htmx.ajax('POST', statusUrl(card), { source: card, values, swap: 'none' });
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

// ---- Tickets: status, priority and assignee changed from a list row -------------------------------------------------
// The table's header names the editable columns (th[data-field]); their cells become buttons here, so the rows the
// server sends stay lean. A button swaps its row for the row's editor (GET …/row?edit), whose selects save on change
// (POST …/row answers the plain row). Escape leaves the editor as it was.
(() => {
  'use strict';
  const fields = () => [...document.querySelectorAll('.ticket-table thead th[data-field]')];

  function upgradeRows() {
    const columns = fields().map((th) => ({ index: th.cellIndex, field: th.dataset.field, label: th.textContent }));
    if (columns.length === 0) return;
    for (const tr of document.querySelectorAll('#ticket-rows tr:not(.row-edit)')) {
      const link = tr.cells[0]?.querySelector('a[href]');
      if (!link || tr.dataset.editable) continue;
      tr.dataset.editable = '1';
      // The first cell is the key, then the title's link.
      const key = tr.cells[0].firstChild?.textContent.trim();
      for (const { index, field, label } of columns) {
        const cell = tr.cells[index];
        if (!cell) continue;
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'cell-edit';
        button.dataset.editField = field;
        button.setAttribute('aria-label', `${label} of ${key}: ${cell.textContent.trim()}. Change`);
        button.append(...cell.childNodes);
        cell.append(button);
      }
    }
  }

  document.addEventListener('click', (evt) => {
    const button = evt.target instanceof Element ? evt.target.closest('button.cell-edit') : null;
    const tr = button && button.closest('tr');
    const link = tr && tr.cells[0]?.querySelector('a[href]');
    if (!link || !window.htmx) return;
    const field = button.dataset.editField;
    window.htmx
      .ajax('GET', `${link.getAttribute('href')}/row?edit`, { source: button, target: tr, swap: 'outerHTML' })
      .then(() => {
        const control = document.querySelector(`#ticket-rows tr.row-edit [data-field="${field}"]`);
        if (control) control.focus();
      });
  });

  // A sorting column header sets the filter form's sort and lets the form ask for the rows (the URL follows); the
  // headers' aria-sort and next sort follow the form's sort however it was chosen.
  function syncSortHeaders(sort) {
    for (const a of document.querySelectorAll('.ticket-table thead a[data-sort]')) {
      const sorts = a.dataset.sorts.split(' ');
      const at = sorts.indexOf(sort);
      const th = a.closest('th');
      if (at < 0) th.removeAttribute('aria-sort');
      else th.setAttribute('aria-sort', sort === 'oldest' || sort === 'due' ? 'ascending' : 'descending');
      a.dataset.sort = sorts[(at + 1) % sorts.length];
    }
  }
  document.addEventListener('click', (evt) => {
    const link = evt.target instanceof Element ? evt.target.closest('.ticket-table thead a[data-sort]') : null;
    const form = document.getElementById('ticket-filters');
    const select = form && form.querySelector('select[name=sort]');
    if (!link || !select || !window.htmx) return;
    evt.preventDefault();
    select.value = link.dataset.sort;
    syncSortHeaders(select.value);
    form.requestSubmit();
  });
  document.addEventListener('change', (evt) => {
    const select = evt.target;
    if (select instanceof HTMLSelectElement && select.name === 'sort' && select.closest('#ticket-filters')) {
      syncSortHeaders(select.value);
    }
  });

  document.addEventListener('keydown', (evt) => {
    if (evt.key !== 'Escape') return;
    const tr = evt.target instanceof Element ? evt.target.closest('#ticket-rows tr.row-edit') : null;
    if (!tr || !window.htmx) return;
    evt.preventDefault();
    window.htmx.ajax('GET', tr.dataset.row, { source: tr, target: tr, swap: 'outerHTML' });
  });

  // After a save, Done or Escape the plain row is back: focus its button for the field that was being changed.
  let pending = null;
  document.addEventListener('htmx:before:request', (evt) => {
    const source = evt.target instanceof Element ? evt.target : null;
    const tr = source && source.closest('#ticket-rows tr.row-edit');
    const link = tr && tr.cells[0]?.querySelector('a[href]');
    if (link) pending = { href: link.getAttribute('href'), field: source.dataset.field || fields()[0]?.dataset.field };
  });
  document.addEventListener('htmx:after:settle', () => {
    upgradeRows();
    if (!pending) return;
    const link = [...document.querySelectorAll('#ticket-rows tr:not(.row-edit) a[href]')].find(
      (a) => a.getAttribute('href') === pending.href,
    );
    const button = link?.closest('tr')?.querySelector(`button.cell-edit[data-edit-field="${pending.field}"]`);
    if (!button) return;
    pending = null;
    button.focus();
  });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', upgradeRows);
  else upgradeRows();
})();

// ---- Times, keyboard shortcuts and the account menu -------------------------------------------------------------
(() => {
  'use strict';
  const hticket = window.hticket || {};
  const say = (text) => hticket.announce && hticket.announce(text);

  // Times: the server writes the exact UTC time; here each <time datetime> says it relative to now ("3 hours ago",
  // "in 6 days") and shows the exact time in the viewer's own time zone on hover. `data-absolute` keeps a date.
  const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const exact = new Intl.DateTimeFormat(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  });
  const day = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
  const dayWithYear = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
  const STEPS = [
    ['second', 60],
    ['minute', 60],
    ['hour', 24],
    ['day', 7],
  ];
  function describe(date, now) {
    let value = (date.getTime() - now) / 1000;
    if (Math.abs(value) < 45) return value < 0 ? relative.format(0, 'second') : relative.format(1, 'minute');
    for (const [unit, size] of STEPS) {
      if (Math.abs(value) < size) return relative.format(Math.round(value), unit);
      value /= size;
    }
    // Beyond a week a date reads better than "5 weeks ago".
    return (date.getFullYear() === new Date(now).getFullYear() ? day : dayWithYear).format(date);
  }
  function showTimes(root) {
    const now = Date.now();
    for (const el of (root || document).querySelectorAll('time[datetime]')) {
      const date = new Date(el.getAttribute('datetime'));
      if (Number.isNaN(date.getTime())) continue;
      el.title = exact.format(date);
      el.textContent = el.hasAttribute('data-absolute') ? exact.format(date) : describe(date, now);
    }
  }
  // Due dates: the server flags overdue and due today on its UTC day; here they follow the viewer's own day. Only
  // tickets not done carry `data-due`. The words change with the colour (never colour alone).
  const pad = (n) => String(n).padStart(2, '0');
  function showDue(root) {
    const d = new Date();
    const today = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    for (const el of (root || document).querySelectorAll('[data-due]')) {
      const due = el.getAttribute('data-due');
      const state = due < today ? 'overdue' : due === today ? 'today' : '';
      el.classList.toggle('due-overdue', state === 'overdue');
      el.classList.toggle('due-today', state === 'today');
      // A list cell may hold the button app.js made of it: write into that.
      const target = el.querySelector('button.cell-edit') || el;
      target.textContent = state === 'overdue' ? `Overdue ${due}` : state === 'today' ? 'Due today' : due;
    }
  }
  function showTimesAndDue(root) {
    showTimes(root);
    showDue(root);
  }
  showTimesAndDue(document);
  document.addEventListener('htmx:after:settle', (evt) =>
    showTimesAndDue(evt.target instanceof Element ? evt.target : null),
  );
  window.setInterval(() => showTimesAndDue(document), 60_000);

  // The account menu (a <details>) closes on Escape, on a click elsewhere and once something in it was chosen.
  const menus = () => document.querySelectorAll('details.dropdown[open]');
  document.addEventListener('click', (evt) => {
    for (const menu of menus()) {
      const inside = evt.target instanceof Node && menu.contains(evt.target);
      const onSummary = inside && evt.target.closest('summary');
      if (!inside || !onSummary) menu.open = false;
    }
  });

  // ---- Keyboard shortcuts ---------------------------------------------------------------------------------------
  const SHORTCUTS = [
    ['c', 'New ticket'],
    ['/', 'Search the list'],
    ['j', 'Next ticket in the list or board'],
    ['k', 'Previous ticket'],
    ['Enter', 'Open the chosen ticket'],
    ['e', 'Edit the open or chosen ticket'],
    ['?', 'Show these shortcuts'],
    ['Esc', 'Close the dialog or menu'],
  ];
  const TICKET_LINK = /^\/p\/[A-Z]{2,6}\/t\/\d+$/;
  const dialog = () => document.getElementById('modal');
  const modalOpen = () => dialog()?.open === true;

  /** The ticket links of the list or board on this page, in reading order. */
  function ticketLinks() {
    return [...document.querySelectorAll('main a[href]')].filter(
      (a) => TICKET_LINK.test(a.getAttribute('href')) && !a.closest('#modal') && a.getClientRects().length > 0,
    );
  }
  function itemOf(link) {
    return link.closest('tr, .card') || link;
  }
  function step(by) {
    const links = ticketLinks();
    if (links.length === 0) return say('No tickets here');
    const active = document.activeElement;
    let at = links.findIndex((a) => a === active || itemOf(a).contains(active));
    if (at === -1) {
      const marked = document.querySelector('.kb-current');
      at = marked ? links.findIndex((a) => itemOf(a) === marked) : -1;
    }
    const next = at === -1 ? (by > 0 ? 0 : links.length - 1) : Math.min(links.length - 1, Math.max(0, at + by));
    for (const el of document.querySelectorAll('.kb-current')) el.classList.remove('kb-current');
    const link = links[next];
    itemOf(link).classList.add('kb-current');
    link.focus();
    link.scrollIntoView({ block: 'nearest' });
    say(
      `${link.closest('tr, .card')?.innerText.replace(/\s+/g, ' ').trim() || link.textContent}. ${next + 1} of ${links.length}`,
    );
  }
  /** Opens what a modal trigger opens. Through htmx.ajax: content that just landed may not be processed yet. */
  function open(el, text) {
    if (!el) return false;
    const url = el.getAttribute('hx-get');
    if (url && window.htmx) window.htmx.ajax('GET', url, { source: el, target: '#dialog', swap: 'innerHTML' });
    else el.click();
    say(text);
    return true;
  }
  function edit() {
    // The ticket open in the modal, the ticket page, or the ticket chosen in the list.
    const scope = modalOpen() ? dialog() : document.querySelector('main');
    const link = scope?.querySelector('a[href$="/edit"]');
    if (link && TICKET_LINK.test(link.getAttribute('href').replace(/\/edit$/, ''))) return open(link, 'Edit ticket');
    const chosen = document.activeElement;
    if (chosen instanceof HTMLAnchorElement && TICKET_LINK.test(chosen.getAttribute('href') || '') && window.htmx) {
      const url = `${chosen.getAttribute('href')}/edit`;
      window.htmx.ajax('GET', url, { source: chosen, target: '#dialog', swap: 'innerHTML' });
      say('Edit ticket');
      return true;
    }
    say('No ticket to edit here');
    return false;
  }
  function showShortcuts() {
    const content = document.getElementById('dialog');
    if (!content || !hticket.openModal) return;
    const article = document.createElement('article');
    article.className = 'modal';
    const header = document.createElement('header');
    const close = document.createElement('button');
    close.type = 'button';
    close.setAttribute('rel', 'prev');
    close.setAttribute('aria-label', 'Close');
    close.setAttribute('data-close-modal', '');
    const title = document.createElement('h2');
    title.id = 'modal-title';
    title.textContent = 'Keyboard shortcuts';
    header.append(close, title);
    const list = document.createElement('dl');
    list.className = 'shortcut-list';
    for (const [key, what] of SHORTCUTS) {
      const dt = document.createElement('dt');
      const kbd = document.createElement('kbd');
      kbd.textContent = key;
      dt.append(kbd);
      const dd = document.createElement('dd');
      dd.textContent = what;
      list.append(dt, dd);
    }
    const note = document.createElement('p');
    note.className = 'muted';
    note.textContent = 'Shortcuts work while you are not typing in a field.';
    article.append(header, list, note);
    content.replaceChildren(article);
    hticket.openModal();
    say('Keyboard shortcuts');
  }

  document.addEventListener('click', (evt) => {
    const trigger = evt.target instanceof Element ? evt.target.closest('[data-shortcuts]') : null;
    if (!trigger) return;
    evt.preventDefault();
    showShortcuts();
  });

  document.addEventListener('keydown', (evt) => {
    if (evt.defaultPrevented || evt.ctrlKey || evt.metaKey || evt.altKey || evt.isComposing) return;
    const target = evt.target;
    if (
      target instanceof Element &&
      target.closest('input, textarea, select, [contenteditable]:not([contenteditable="false"])')
    ) {
      return;
    }
    const key = evt.key;
    // Shift is part of typing "?" on most layouts; with any other shortcut it means something else.
    if (evt.shiftKey && key !== '?') return;
    if (key === 'Escape') {
      const menu = target instanceof Element ? target.closest('details.dropdown[open]') : null;
      if (menu) {
        menu.open = false;
        menu.querySelector('summary')?.focus();
      }
      return;
    }
    let done = true;
    if (key === '?') showShortcuts();
    else if (key === 'e') done = edit();
    else if (modalOpen()) done = false;
    else if (key === 'c') done = open(document.querySelector('main a[href$="/t/new"]'), 'New ticket');
    else if (key === '/') {
      const search = document.querySelector('main input[type="search"]');
      if (search) {
        search.focus();
        search.select();
        say('Search');
      } else done = false;
    } else if (key === 'j') step(1);
    else if (key === 'k') step(-1);
    else done = false;
    if (done) evt.preventDefault();
  });
})();

// ---- Live updates ------------------------------------------------------------------------------------------------
// A page with [data-live-project] listens to its project(s) over a WebSocket (/p/KEY/live). An event says what changed
// (a ticket key and a kind) and who did it; it becomes the HX-Trigger event the page's partials already listen to, so
// they refetch themselves through the usual routes. An open form is never replaced: it says who changed the ticket.
// The page tells the project what it looks at (board, list or a ticket) and shows who else is looking.
// Without WebSockets (or JavaScript) nothing here runs and the pages work as before.
(() => {
  'use strict';
  if (!('WebSocket' in window) || !window.htmx) return;
  const MAX_PROJECTS = 10;
  const tab = Math.random().toString(36).slice(2, 10) + Date.now().toString(36);
  const rooms = new Map();

  // Every htmx request names this tab: the events of its own writes are skipped (their responses refreshed the page).
  document.addEventListener('htmx:config:request', (evt) => {
    const request = evt.detail && evt.detail.ctx && evt.detail.ctx.request;
    if (request && request.headers) request.headers['X-Live-Tab'] = tab;
  });

  const fire = (name) => document.body.dispatchEvent(new CustomEvent(name, { bubbles: true, detail: { live: true } }));
  const ticketOfUrl = (url) => {
    const m = /^\/p\/([A-Z]{2,6})\/t\/(\d+)$/.exec(url || '');
    return m ? `${m[1]}-${m[2]}` : null;
  };

  /** The ticket shown in the open modal, or as the page itself. */
  function openTicket() {
    const d = document.getElementById('modal');
    const inModal = d && d.open ? document.querySelector('#dialog > [data-modal-url]') : null;
    const onPage = document.querySelector('main .modal-page [data-modal-url]');
    return ticketOfUrl((inModal || onPage)?.getAttribute('data-modal-url'));
  }

  /** The edit form of a ticket open in the modal (or as a page of its own). */
  const editForm = (ticket) => document.querySelector(`form[data-live-form="${ticket}"]`);

  /** A form in the ticket's view that holds typing not yet sent (a comment being written). */
  function typing(scope) {
    if (!scope) return false;
    return [...scope.querySelectorAll('textarea, input[type=text]')].some((f) => f.value !== f.defaultValue);
  }

  function notice(scope, text) {
    const el = scope && scope.querySelector('[data-live-notice]');
    if (!el) return;
    el.textContent = text;
    el.hidden = false;
  }

  const WHAT = { deleted: 'Deleted', comment: 'Commented on' };
  const LISTS = new Set(['created', 'ticket', 'status', 'deleted']);

  function apply(change) {
    const names = [];
    if (LISTS.has(change.kind)) names.push('ticketListUpdated', 'projectListUpdated');
    if (change.kind === 'member') names.push('memberListUpdated');
    if (change.kind === 'project') names.push('projectUpdated', 'projectListUpdated');
    if (change.ticket && change.ticket === openTicket()) {
      const text = `${WHAT[change.kind] || 'Changed'} by ${change.by.name} just now`;
      const form = editForm(change.ticket);
      const view = document.querySelector('#dialog > [data-modal-url], main .modal-page');
      if (form) notice(form, text);
      else if (typing(view)) notice(view, text);
      else names.push('ticketUpdated');
    } else if (change.ticket && editForm(change.ticket)) {
      notice(editForm(change.ticket), `${WHAT[change.kind] || 'Changed'} by ${change.by.name} just now`);
    }
    for (const name of names) fire(name);
  }

  /** After a gap (a reconnect that missed changes): every partial refetches once. */
  function refreshAll() {
    fire('ticketListUpdated');
    fire('projectListUpdated');
    fire('memberListUpdated');
    const ticket = openTicket();
    if (ticket && !editForm(ticket) && !typing(document.querySelector('#dialog > [data-modal-url]'))) {
      fire('ticketUpdated');
    }
  }

  /** What this page shows of the project `key`: a ticket, the board, the list, or nothing in particular. */
  function lookOf(key) {
    const ticket = openTicket();
    if (ticket && ticket.startsWith(`${key}-`)) return ticket;
    if (document.getElementById('board')) return 'board';
    if (document.getElementById('ticket-rows')) return 'list';
    return null;
  }

  function openRoom(key) {
    const room = {
      key,
      ws: null,
      me: null,
      presence: {},
      seq: null,
      tries: 0,
      timer: 0,
      stopped: false,
      look: undefined,
    };
    const connect = () => {
      const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
      const ws = new WebSocket(`${scheme}//${location.host}/p/${key}/live`);
      let opened = false;
      room.ws = ws;
      ws.addEventListener('open', () => {
        opened = true;
        document.documentElement.dataset.live = 'connected';
        room.tries = 0;
        room.look = undefined;
        tellLook(room);
      });
      ws.addEventListener('message', (evt) => {
        let m;
        try {
          m = JSON.parse(evt.data);
        } catch {
          return;
        }
        if (m.type === 'hello') {
          room.me = m.you;
          // A reconnect that finds the change counter moved on missed something: refetch once.
          if (room.seq !== null && m.seq !== room.seq) refreshAll();
          room.seq = m.seq;
        } else if (m.type === 'presence') {
          room.presence = m.looking || {};
          renderPresence();
        } else if (m.type === 'change') {
          room.seq = m.seq;
          if (m.tab !== tab) apply(m);
        }
      });
      ws.addEventListener('close', (evt) => {
        room.ws = null;
        if (![...rooms.values()].some((r) => r.ws && r.ws.readyState === WebSocket.OPEN)) {
          delete document.documentElement.dataset.live;
        }
        room.presence = {};
        renderPresence();
        if (room.stopped) return;
        // 4403: no longer allowed here; try again only much later (the answer is probably still no).
        if (evt.code === 4403) room.tries = Math.max(room.tries, 5);
        if (!opened && room.tries >= 8) return;
        const delay = Math.min(30000, 1000 * 2 ** room.tries) * (0.5 + Math.random() / 2);
        room.tries++;
        room.timer = window.setTimeout(connect, delay);
      });
    };
    room.stop = () => {
      room.stopped = true;
      window.clearTimeout(room.timer);
      if (room.ws) room.ws.close(1000, 'Left the page');
    };
    connect();
    return room;
  }

  function tellLook(room) {
    const look = rooms.size === 1 ? lookOf(room.key) : null;
    if (!room.ws || room.ws.readyState !== WebSocket.OPEN || look === room.look) return;
    room.look = look;
    room.ws.send(JSON.stringify({ look }));
  }

  /** Fills every [data-presence] with the initials of the others looking at the same thing. */
  function renderPresence() {
    for (const el of document.querySelectorAll('[data-presence]')) {
      const look = el.getAttribute('data-presence');
      const seen = new Map();
      for (const room of rooms.values()) {
        for (const viewer of room.presence[look] || []) {
          if (viewer.id !== room.me) seen.set(viewer.id, viewer.name);
        }
      }
      const names = [...seen.values()];
      el.replaceChildren();
      if (names.length === 0) continue;
      const label = document.createElement('span');
      label.className = 'muted';
      label.textContent = 'Also here:';
      el.append(label);
      for (const name of names) {
        // The same initials as the server's avatars (views/avatar): first and last word.
        const words = name.trim().split(/\s+/).filter(Boolean);
        const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
        const chip = document.createElement('span');
        chip.className = 'avatar initials';
        chip.title = name;
        chip.setAttribute('role', 'img');
        chip.setAttribute('aria-label', name);
        chip.textContent = letters.map((w) => w[0].toUpperCase()).join('') || '?';
        el.append(chip);
      }
    }
  }

  function sync() {
    const keys = [
      ...new Set([...document.querySelectorAll('[data-live-project]')].map((el) => el.dataset.liveProject)),
    ];
    const wanted = keys.slice(0, MAX_PROJECTS);
    for (const [key, room] of rooms) {
      if (!wanted.includes(key)) {
        room.stop();
        rooms.delete(key);
      }
    }
    for (const key of wanted) if (!rooms.has(key)) rooms.set(key, openRoom(key));
    for (const room of rooms.values()) tellLook(room);
    renderPresence();
  }

  document.addEventListener('htmx:after:settle', () => window.setTimeout(sync, 0));
  document.addEventListener('close', () => window.setTimeout(sync, 0), true);
  window.addEventListener('pagehide', () => {
    for (const room of rooms.values()) room.stop();
    rooms.clear();
  });
  // Back to a page kept in the back/forward cache: listen again, and refetch what may have changed meanwhile.
  window.addEventListener('pageshow', (evt) => {
    if (!evt.persisted) return;
    sync();
    refreshAll();
  });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', sync);
  else sync();
})();

// @mentions: typing `@` in a Markdown field offers the project's members (the server-rendered listbox beside it).
// While the list is open the textarea is a combobox (aria-expanded, aria-activedescendant); arrows move, Enter or
// Tab picks (inserting `@[Name](id)`), Escape closes.
(() => {
  const queryAt = (area) => {
    const before = area.value.slice(0, area.selectionStart);
    const m = /(^|\s)@([^\s@[\]()]{0,30})$/.exec(before);
    return m ? { start: before.length - m[2].length - 1, text: m[2].toLowerCase() } : null;
  };
  const listOf = (area) => {
    const field = area.closest('[data-mentions]');
    return field ? document.getElementById(field.dataset.mentions) : null;
  };
  const visible = (list) => [...list.querySelectorAll('[role=option]')].filter((o) => !o.hidden);
  const close = (area, list) => {
    list.hidden = true;
    for (const name of ['role', 'aria-expanded', 'aria-controls', 'aria-activedescendant', 'aria-autocomplete']) {
      area.removeAttribute(name);
    }
  };
  const highlight = (area, list, option) => {
    for (const o of list.querySelectorAll('[role=option]')) o.setAttribute('aria-selected', String(o === option));
    if (option) area.setAttribute('aria-activedescendant', option.id);
  };
  const pick = (area, list, option) => {
    const q = queryAt(area);
    if (!q || !option) return close(area, list);
    const token = `@[${option.dataset.name}](${option.dataset.id}) `;
    const end = area.selectionStart;
    area.value = area.value.slice(0, q.start) + token + area.value.slice(end);
    const caret = q.start + token.length;
    area.setSelectionRange(caret, caret);
    close(area, list);
    area.focus();
  };
  document.addEventListener('input', (evt) => {
    const area = evt.target;
    if (!(area instanceof HTMLTextAreaElement)) return;
    const list = listOf(area);
    if (!list) return;
    const q = queryAt(area);
    if (!q) return close(area, list);
    for (const o of list.querySelectorAll('[role=option]')) {
      o.hidden = !o.dataset.name.toLowerCase().includes(q.text);
    }
    const options = visible(list);
    if (options.length === 0) return close(area, list);
    list.hidden = false;
    area.setAttribute('role', 'combobox');
    area.setAttribute('aria-autocomplete', 'list');
    area.setAttribute('aria-controls', list.id);
    area.setAttribute('aria-expanded', 'true');
    highlight(area, list, options[0]);
  });
  document.addEventListener(
    'keydown',
    (evt) => {
      const area = evt.target;
      if (!(area instanceof HTMLTextAreaElement)) return;
      const list = listOf(area);
      if (!list || list.hidden) return;
      const options = visible(list);
      const current = options.findIndex((o) => o.getAttribute('aria-selected') === 'true');
      if (evt.key === 'ArrowDown' || evt.key === 'ArrowUp') {
        const step = evt.key === 'ArrowDown' ? 1 : -1;
        highlight(area, list, options[(current + step + options.length) % options.length]);
      } else if (evt.key === 'Enter' || evt.key === 'Tab') {
        pick(area, list, options[Math.max(current, 0)]);
      } else if (evt.key === 'Escape') {
        close(area, list);
      } else {
        return;
      }
      // The list's keys never reach the modal (Escape would close it) or the page's shortcuts.
      evt.preventDefault();
      evt.stopPropagation();
    },
    true,
  );
  document.addEventListener('mousedown', (evt) => {
    const option = evt.target instanceof Element ? evt.target.closest('.mention-list [role=option]') : null;
    if (!option) return;
    evt.preventDefault();
    const field = option.closest('[data-mentions]');
    const area = field && field.querySelector('textarea');
    if (area) pick(area, option.closest('[role=listbox]'), option);
  });
  document.addEventListener('focusout', (evt) => {
    const area = evt.target;
    if (area instanceof HTMLTextAreaElement && listOf(area)) close(area, listOf(area));
  });
})();
