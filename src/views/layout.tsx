/**
 * @module views/layout — the page shell: one stylesheet (Pico and app.css) and one script (htmx and app.js), self-hosted
 * and built into static/ by scripts/build-static.mjs, and the one modal container.
 */
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { User } from '../db/schema';
import { Avatar } from './avatar';
import { on } from '../web/events';
import { canInvite } from '../auth/permissions';
import { UNREAD_CAP } from '../notifications/unread';

export interface LayoutProps {
  title: string;
  nonce: string;
  user?: User | undefined;
  /** Unread inbox items, shown beside the Inbox link. */
  unread?: number | undefined;
  children?: Child;
}

// No settle delay: nothing here uses htmx's CSS transitions, and settling copies the old element's `style` attribute
// onto its same-id replacement, which the CSP (`style-src 'self'`) refuses (a live refresh swaps a modal for itself).
const HTMX_CONFIG = JSON.stringify({ includeIndicatorCSS: false, defaultTimeout: 20000, defaultSettleDelay: 0 });

export function Layout({ title, nonce, user, unread, children }: LayoutProps) {
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light dark" />
          <title>{`${title} · hticket`}</title>
          <meta name="htmx-config" content={HTMX_CONFIG} />
          <link rel="stylesheet" href="/app.css" />
          <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
          <script src="/app.js" nonce={nonce} defer></script>
        </head>
        <body>
          <a class="skip-link" href="#main">
            Skip to content
          </a>
          <header class="container">
            <nav aria-label="Main">
              <ul>
                <li>
                  <a href="/" class="brand">
                    <strong>hticket</strong>
                  </a>
                </li>
              </ul>
              {user ? <UserMenu user={user} unread={unread ?? 0} /> : null}
            </nav>
          </header>
          <main class="container" id="main" tabindex={-1}>
            {children}
          </main>
          {/* app.js names the dialog by the `#modal-title` of what it shows: an empty dialog names nothing. */}
          <dialog id="modal">
            <div id="dialog"></div>
          </dialog>
          {/* What keyboard shortcuts and copied links say to screen readers (app.js). */}
          <div id="announcer" class="visually-hidden" aria-live="polite"></div>
        </body>
      </html>
    </>
  );
}

/** My issues and, for managers, Invitations: in the header on wide screens, in the account menu on a phone. */
function PageLinks({ user, shown }: { user: User; shown: 'wide-only' | 'narrow-only' }) {
  return (
    <>
      <li class={shown}>
        <a href="/my">My issues</a>
      </li>
      {canInvite(user) ? (
        <li class={shown}>
          <a href="/invitations">Invitations</a>
        </li>
      ) : null}
    </>
  );
}

/**
 * The account menu: the avatar (and, on wide screens, the name) opens Profile, Keyboard shortcuts and Sign out, so
 * the header stays one line on a phone. Inbox, My issues and (for managers) Invitations stand beside it; on a phone
 * My issues and Invitations move into the menu.
 */
function UserMenu({ user, unread }: { user: User; unread: number }) {
  return (
    <ul>
      <li>
        <InboxLink unread={unread} />
      </li>
      <PageLinks user={user} shown="wide-only" />
      <li>
        <details class="dropdown user-menu">
          <summary>
            <UserChip user={user} />
          </summary>
          <ul dir="rtl">
            {/* On a phone the header has room for the Inbox only: its other links move into this menu. */}
            <PageLinks user={user} shown="narrow-only" />
            <li>
              <a href="/profile" hx-get="/profile" hx-target="#dialog">
                Your profile
              </a>
            </li>
            <li class="js-only">
              <a href="#shortcuts" data-shortcuts>
                Keyboard shortcuts
              </a>
            </li>
            <li>
              <SignOut class="secondary outline small" />
            </li>
          </ul>
        </details>
      </li>
    </ul>
  );
}

/** The header's Inbox link, with the unread count ("99+" from the cap on) when there is any. */
export function InboxLink({ unread }: { unread: number }) {
  const count = unread >= UNREAD_CAP ? '99+' : String(unread);
  // The count is part of the link's visible text, so its accessible name ("Inbox 3 unread") contains what is shown.
  return (
    <a href="/inbox" class="inbox-link">
      Inbox
      {unread > 0 ? (
        <>
          {' '}
          <span class="unread-count">
            {count}
            <span class="visually-hidden"> unread</span>
          </span>
        </>
      ) : null}
    </a>
  );
}

/** Sign-out is a POST (CSRF-checked; a GET changes nothing). */
export function SignOut({ class: className }: { class: string }) {
  return (
    <form method="post" action="/logout">
      <button type="submit" class={className}>
        Sign out
      </button>
    </form>
  );
}

/** The picture and name in the header; it refreshes itself when the profile changes (GET /profile/chip). */
export function UserChip({ user }: { user: Pick<User, 'id' | 'name' | 'avatarKey'> }) {
  return (
    <span id="user-chip" hx-get="/profile/chip" hx-trigger={on('profileUpdated')} hx-swap="outerHTML">
      <Avatar user={user} size={28} />
      {/* Where there is room; a phone shows the avatar alone. */}
      <span class="chip-name narrow-hidden">{user.name}</span>
      {/* The name starts the menu button's accessible name (also on a phone, where it is not shown). */}
      <span class="visually-hidden">: account menu</span>
    </span>
  );
}
