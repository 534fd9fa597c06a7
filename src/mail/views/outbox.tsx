/** @module mail/views/outbox — the development outbox: the last emails with their links clickable. */
import type { MailDelivery, MailState } from '../../db/schema';
import { formatDate } from '../blocks';

const STATE_LABELS: Record<MailState, string> = {
  QUEUED: 'queued',
  SENT: 'sent',
  FAILED: 'failed',
  SKIPPED: 'not sent',
};

export function Outbox({ deliveries }: { deliveries: MailDelivery[] }) {
  return (
    <section id="outbox" aria-labelledby="outbox-title">
      <hgroup>
        <h1 id="outbox-title">Outbox</h1>
        <p>
          The last {deliveries.length === 1 ? 'email' : `${deliveries.length} emails`} the app sent, newest first. This
          page exists only in development.
        </p>
      </hgroup>
      <p>
        <a
          href="/dev/mail"
          hx-get="/dev/mail"
          hx-target="#outbox"
          hx-swap="outerHTML"
          role="button"
          class="secondary outline small"
        >
          Refresh
        </a>
      </p>
      {deliveries.length === 0 ? <p>No emails yet.</p> : deliveries.map((d) => <OutboxEmail delivery={d} />)}
    </section>
  );
}

export function OutboxEmail({ delivery }: { delivery: MailDelivery }) {
  return (
    <article class="outbox-email" data-delivery={delivery.id}>
      <header>
        <strong>{delivery.subject ?? `(${delivery.kind}, not composed yet)`}</strong>
        <br />
        <small>
          to {delivery.recipient} · {delivery.kind} ·{' '}
          <mark data-state={delivery.status}>{STATE_LABELS[delivery.status]}</mark> · {formatDate(delivery.createdAt)}
        </small>
      </header>
      {delivery.textBody ? <pre class="outbox-body">{linkify(delivery.textBody)}</pre> : null}
      {delivery.lastError ? <p class="outbox-error">{delivery.lastError}</p> : null}
    </article>
  );
}

const URL_RE = /(https?:\/\/[^\s<>"']+)/;

/** Only http(s) URLs become links; everything else stays text (escaped by JSX like the rest). */
function linkify(text: string) {
  return text.split(URL_RE).map((part, i) => (i % 2 === 1 ? <a href={part}>{part}</a> : part));
}
