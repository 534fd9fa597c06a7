// hticket's few lines of browser code: the modal dialog around htmx swaps. No inline scripts (the CSP forbids them).
(() => {
  'use strict';
  // Styles can tell pages where htmx runs (e.g. the list filters need no submit button there).
  if (window.htmx) document.documentElement.classList.add('htmx');
  const dialog = () => document.getElementById('modal');
  let returnFocusTo = null;

  function focusFirst(d) {
    const autofocus = d.querySelector('[autofocus]');
    // Never a destructive control ([data-danger], .danger): a stray Enter must not remove or delete anything.
    const first = d.querySelector(
      'input:not([type=hidden]), select, textarea, button:not([rel=prev]):not([data-danger]):not(.danger)',
    );
    (autofocus || first || d).focus();
  }

  function openModal() {
    const d = dialog();
    if (!d) return;
    syncAddress();
    if (d.open) return;
    if (!returnFocusTo) returnFocusTo = document.activeElement;
    d.showModal();
    focusFirst(d);
  }

  function closeModal() {
    const d = dialog();
    if (d && d.open) d.close();
  }

  // ---- The modal's address ------------------------------------------------------------------------------------
  // A modal that shows something with an address of its own (a ticket: data-modal-url) puts it in the address bar,
  // so it can be copied, reloaded or opened in a new tab. Back closes the modal, Forward opens it again.
  // Our entries carry { htmx: true, hticketModal: url } (htmx stamps any entry without its flag, which would drop
  // ours). htmx restores a page on every traversal to a flagged entry; for ours, and for going back to the page under
  // the modal, that restore is cancelled: the page is already there.
  let modalEntry = null;
  let restoringModal = false;
  let skipRestoreUntil = 0;

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
      skipRestoreUntil = Date.now() + 2000;
      history.back();
    }
  }

  // Every Back and Forward reaches htmx's history restore (our entries carry its flag); this decides instead of it.
  document.addEventListener('htmx:before:history:restore', (evt) => {
    const state = history.state || {};
    const d = dialog();
    if (state.hticketModal && window.htmx) {
      // Forward (or Back) onto a modal's entry: show it again over the page that is still there.
      evt.preventDefault();
      if (modalEntry === state.hticketModal && d && d.open) return;
      modalEntry = state.hticketModal;
      restoringModal = true;
      window.htmx.ajax('GET', state.hticketModal, { target: '#dialog', swap: 'innerHTML' }).then(openModal);
      return;
    }
    if (Date.now() < skipRestoreUntil) {
      // Our own step back after the modal was closed.
      skipRestoreUntil = 0;
      evt.preventDefault();
      return;
    }
    if (modalEntry || (d && d.open)) {
      // Back from a modal: close it; the page under it is the page to go back to.
      evt.preventDefault();
      modalEntry = null;
      closeModal();
    }
  });

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
      if (evt.target !== dialog()) return;
      const content = document.getElementById('dialog');
      if (content) content.replaceChildren();
      leaveModalEntry();
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
    if (was.el.isConnected) return was.el.focus();
    const d = dialog();
    const scope = d && d.open ? d : document;
    let next = (was.id && document.getElementById(was.id)) || null;
    if (!next && was.href) next = scope.querySelector(`a[href="${CSS.escape(was.href)}"]`);
    // An outerHTML swap leaves the old element detached; its replacement has the same id.
    let target = swapped instanceof Element ? swapped : null;
    if (target && !target.isConnected) target = target.id ? document.getElementById(target.id) : null;
    if (!next && target) {
      next = target.querySelector('[autofocus], textarea, input:not([type=hidden]), select, a[href], button');
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
