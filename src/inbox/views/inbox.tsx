/** @module inbox/views/inbox — the inbox page: my items newest first, unread ones marked, "Load more" at the end. */
import type { Priority, Status } from '../../db/schema';
import { TimeText } from '../../views/time';
import { PRIORITY_LABELS, STATUS_LABELS, ticketKey } from '../../views/labels';
import { inboxSummary, type InboxRow } from '../../notifications/items';

export { inboxSummary };

export function InboxItem({ item }: { item: InboxRow }) {
  const unread = item.readAt === null;
  return (
    <li class={unread ? 'inbox-item unread' : 'inbox-item'}>
      {/* Opening marks the item read (a POST: a GET changes nothing), then goes to the ticket. */}
      <form method="post" action={`/inbox/${item.id}`}>
        <button type="submit" class="inbox-open">
          {unread ? <span class="unread-dot">Unread:</span> : null}
          <strong>{ticketKey(item.projectKey, item.number)}</strong> <span>{item.title}</span>
        </button>
      </form>
      <p class="inbox-what">
        {inboxSummary(item)} · <TimeText ms={item.createdAt} />
      </p>
    </li>
  );
}

/** A page of items and, when there is more, the "Load more" item that replaces itself with the next page. */
export function InboxItems({ items, next }: { items: InboxRow[]; next: string | null }) {
  return (
    <>
      {items.map((item) => (
        <InboxItem item={item} />
      ))}
      {next ? (
        <li class="load-more">
          <a
            href={`/inbox?after=${next}`}
            hx-get={`/inbox/items?after=${next}`}
            hx-target="closest li"
            hx-swap="outerHTML"
            role="button"
            class="secondary outline small"
          >
            Load more
          </a>
        </li>
      ) : null}
    </>
  );
}

export function InboxPage({ items, next, first }: { items: InboxRow[]; next: string | null; first: boolean }) {
  return (
    <section class="inbox" aria-labelledby="page-title">
      <header class="inbox-head">
        <h1 id="page-title">Inbox</h1>
        <form method="post" action="/inbox/read">
          <button type="submit" class="secondary outline small">
            Mark all read
          </button>
        </form>
      </header>
      {items.length === 0 ? (
        <p class="muted">
          {first ? 'Nothing yet: changes to tickets you watch and mentions of you show here.' : 'No more items.'}
        </p>
      ) : null}
      {!first ? (
        <p>
          <a href="/inbox">Newest items</a>
        </p>
      ) : null}
      <ul class="inbox-list">
        <InboxItems items={items} next={next} />
      </ul>
    </section>
  );
}
