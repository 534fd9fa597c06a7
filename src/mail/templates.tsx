/**
 * @module mail/templates — every email as a few blocks, rendered once as plain text and once as escaped HTML
 * (hono/jsx), so the two bodies never drift apart. Links are built from APP_ORIGIN only.
 */
import { raw } from 'hono/html';
import { invitationToken, joinUrl, passwordResetToken, passwordResetUrl, absoluteUrl } from '../lib/links';
import type { MailContent, TicketRef } from './service';

export type Block =
  | { kind: 'p'; text: string }
  | { kind: 'link'; label: string; url: string }
  | { kind: 'quote'; text: string }
  | { kind: 'note'; text: string };

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface TemplateContext {
  /** APP_ORIGIN from the configuration: never the Host of some request. */
  origin: string;
  tokenSecret: string;
}

const p = (text: string): Block => ({ kind: 'p', text });
const link = (label: string, url: string): Block => ({ kind: 'link', label, url });
const note = (text: string): Block => ({ kind: 'note', text });

export async function composeEmail(content: MailContent, ctx: TemplateContext): Promise<RenderedEmail> {
  const composed = await compose(content, ctx);
  const subject = oneLine(composed.subject, 200);
  return { subject, text: toText(composed.blocks), html: await toHtml(subject, composed.blocks) };
}

async function compose(
  content: MailContent,
  { origin, tokenSecret }: TemplateContext,
): Promise<{ subject: string; blocks: Block[] }> {
  switch (content.type) {
    case 'invitation': {
      const url = joinUrl(origin, await invitationToken(tokenSecret, content.invitation));
      const who = content.senderName ?? 'Someone';
      const as = content.invitation.role === 'MANAGER' ? 'a manager' : 'a member';
      const where = content.project
        ? `the project ${content.project.name} (${content.project.key}) on hticket`
        : 'hticket';
      return {
        subject: content.project
          ? `${who} invited you to ${content.project.name} on hticket`
          : `${who} invited you to hticket`,
        blocks: [
          p('Hello,'),
          p(`${who} invited you to join ${where} as ${as}.`),
          link('Accept the invitation and choose your password', url),
          note(`The link works once and expires on ${formatDate(content.invitation.expiresAt)}.`),
          note('If you did not expect this invitation, you can ignore this email.'),
        ],
      };
    }
    case 'password_reset': {
      const url = passwordResetUrl(origin, await passwordResetToken(tokenSecret, content.reset));
      return {
        subject: 'Reset your hticket password',
        blocks: [
          p(`Hello ${content.userName},`),
          p(`Someone asked to reset the password of the hticket account ${content.to}.`),
          link('Choose a new password', url),
          note(`The link works once and expires on ${formatDate(content.reset.expiresAt)}.`),
          note('If you did not ask for this, ignore this email: your password stays as it is.'),
        ],
      };
    }
    case 'added_to_project': {
      const { name, key } = content.project;
      return {
        subject: `You were added to ${name} on hticket`,
        blocks: [
          p(`Hello ${content.userName},`),
          p(`You were added to the project ${name} (${key}) on hticket.`),
          link(`Open ${name}`, absoluteUrl(origin, `/p/${key}`)),
        ],
      };
    }
    case 'ticket_status': {
      const key = ticketKey(content.ticket);
      const who = content.actorName ?? 'Someone';
      const from = fieldValue(content.field, content.from);
      const to = fieldValue(content.field, content.toValue);
      const change =
        content.field === 'status'
          ? `moved ${key} from ${from} to ${to}`
          : `changed the ${content.field} of ${key} from ${from} to ${to}`;
      return {
        subject: `[${key}] ${content.ticket.title}: ${from} → ${to}`,
        blocks: [
          p(`Hello ${content.recipientName},`),
          p(`${who} ${change}: ${content.ticket.title}`),
          link(`Open ${key}`, ticketUrl(origin, content.ticket)),
          notificationNote,
        ],
      };
    }
    case 'ticket_comment': {
      const key = ticketKey(content.ticket);
      const who = content.authorName ?? 'Someone';
      return {
        subject: `[${key}] ${who} commented on ${content.ticket.title}`,
        blocks: [
          p(`Hello ${content.recipientName},`),
          p(`${who} commented on ${key}: ${content.ticket.title}`),
          { kind: 'quote', text: plainExcerpt(content.body) },
          link(`Read and reply on ${key}`, ticketUrl(origin, content.ticket)),
          notificationNote,
        ],
      };
    }
  }
}

const notificationNote = note(
  'You get this email because you are in this project. Turn email notifications off in your profile.',
);

function ticketKey(ticket: TicketRef): string {
  return `${ticket.projectKey}-${ticket.number}`;
}

function ticketUrl(origin: string, ticket: TicketRef): string {
  return absoluteUrl(origin, `/p/${ticket.projectKey}/t/${ticket.number}`);
}

const STATUS_LABELS: Record<string, string> = {
  OPEN: 'Open',
  IN_PROGRESS: 'In progress',
  REVIEW: 'In review',
  DONE: 'Done',
};

function fieldValue(field: string, value: string | null): string {
  if (value === null || value === '') return 'nothing';
  return field === 'status' ? (STATUS_LABELS[value] ?? value) : value;
}

const dateFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });

/** Recipients' time zones are unknown, so dates say UTC. */
export function formatDate(ms: number): string {
  return `${dateFormat.format(new Date(ms))} UTC`;
}

/** Subjects are one line: user content (titles, names) may carry newlines. */
export function oneLine(text: string, max: number): string {
  return clip(text.replace(/\s+/g, ' ').trim(), max);
}

/** A comment's Markdown as a short plain-text excerpt: markup dropped, whitespace folded. */
export function plainExcerpt(markdown: string, max = 400): string {
  const text = markdown
    .replace(/```[^\n]*\n?/g, '')
    .replace(/<[^>]*>/g, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+/gm, '')
    .replace(/(\*\*|__|~~|`)/g, '');
  return oneLine(text, max);
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

export function toText(blocks: Block[]): string {
  const parts = blocks.map((block) => {
    switch (block.kind) {
      case 'p':
      case 'note':
        return block.text;
      case 'link':
        return `${block.label}:\n${block.url}`;
      case 'quote':
        return block.text
          .split('\n')
          .map((line) => `> ${line}`)
          .join('\n');
    }
  });
  return `${parts.join('\n\n')}\n\n-- \nhticket\n`;
}

const styles = {
  body: 'margin:0;padding:24px;background:#f6f7f9;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1f2933;',
  card: 'max-width:560px;margin:0 auto;padding:24px;background:#ffffff;border-radius:8px;',
  p: 'margin:0 0 16px;line-height:1.5;',
  note: 'margin:0 0 12px;line-height:1.4;font-size:13px;color:#616e7c;',
  quote: 'margin:0 0 16px;padding:8px 12px;border-left:3px solid #cbd2d9;color:#3e4c59;white-space:pre-wrap;',
  button:
    'display:inline-block;padding:10px 18px;background:#1d6bd3;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:600;',
  url: 'margin:8px 0 0;font-size:12px;color:#616e7c;word-break:break-all;',
};

function BlockHtml({ block }: { block: Block }) {
  switch (block.kind) {
    case 'p':
      return <p style={styles.p}>{block.text}</p>;
    case 'note':
      return <p style={styles.note}>{block.text}</p>;
    case 'quote':
      return <blockquote style={styles.quote}>{block.text}</blockquote>;
    case 'link':
      return (
        <div style="margin:0 0 20px;">
          <a href={block.url} style={styles.button}>
            {block.label}
          </a>
          <p style={styles.url}>
            <a href={block.url}>{block.url}</a>
          </p>
        </div>
      );
  }
}

async function toHtml(title: string, blocks: Block[]): Promise<string> {
  const doc = (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{title}</title>
        </head>
        <body style={styles.body}>
          <div style={styles.card}>
            {blocks.map((block) => (
              <BlockHtml block={block} />
            ))}
          </div>
        </body>
      </html>
    </>
  );
  return String(await doc.toString());
}
