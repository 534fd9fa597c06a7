/** @module views/layout — the page shell: Pico, htmx and app.js self-hosted, and the one modal container. */
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { User } from '../db/schema';
import { Avatar } from './avatar';
import { on } from '../web/events';
import { canInvite } from '../auth/permissions';

export interface LayoutProps {
  title: string;
  nonce: string;
  user?: User | undefined;
  children?: Child;
}

// No settle delay: nothing here uses htmx's CSS transitions, and settling copies the old element's `style` attribute
// onto its same-id replacement, which the CSP (`style-src 'self'`) refuses (a live refresh swaps a modal for itself).
const HTMX_CONFIG = JSON.stringify({ includeIndicatorCSS: false, defaultTimeout: 20000, defaultSettleDelay: 0 });

export function Layout({ title, nonce, user, children }: LayoutProps) {
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
          <link rel="stylesheet" href="/vendor/pico.min.css" />
          <link rel="stylesheet" href="/app.css" />
          <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
          <script src="/vendor/htmx.min.js" nonce={nonce} defer></script>
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
              {user ? <UserMenu user={user} /> : null}
            </nav>
          </header>
          <main class="container" id="main" tabindex={-1}>
            {children}
          </main>
          <dialog id="modal" aria-labelledby="modal-title">
            <div id="dialog"></div>
          </dialog>
        </body>
      </html>
    </>
  );
}

function UserMenu({ user }: { user: User }) {
  return (
    <ul>
      {canInvite(user) ? (
        <li>
          <a href="/invitations">Invitations</a>
        </li>
      ) : null}
      <li>
        <a href="/profile" hx-get="/profile" hx-target="#dialog" class="user-chip">
          <UserChip user={user} />
        </a>
      </li>
      <li>
        <form method="post" action="/logout">
          <button type="submit" class="secondary outline small">
            Sign out
          </button>
        </form>
      </li>
    </ul>
  );
}

/** The picture and name in the header; it refreshes itself when the profile changes (GET /profile/chip). */
export function UserChip({ user }: { user: Pick<User, 'id' | 'name' | 'avatarKey'> }) {
  return (
    <span id="user-chip" hx-get="/profile/chip" hx-trigger={on('profileUpdated')} hx-swap="outerHTML">
      <Avatar user={user} size={28} />
      <span>{user.name}</span>
      {/* The visible name starts the link's accessible name; this says where it leads, and refreshes with it. */}
      <span class="visually-hidden">: your profile</span>
    </span>
  );
}
