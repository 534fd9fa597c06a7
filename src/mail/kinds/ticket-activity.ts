/**
 * @module mail/kinds/ticket-activity — a ticket's change or new comment, told to someone in the project: sent while
 * they still may see the project, are active, want notifications and did not make the change themselves.
 */
import { eq, sql } from 'drizzle-orm';
import { canSeeProject } from '../../accounts/permissions';
import type { Db } from '../../db/database';
import { plan } from '../../db/plan';
import { comments, projects, ticketEvents, tickets, users } from '../../db/schema';
import { absoluteUrl } from '../../lib/links';
import { link, note, p, plainExcerpt, quote, type Composition } from '../blocks';
import type { MailMessage } from '../messages';
import { flag, named, type Loaded, type MailKind } from './kind';

type TicketActivityMessage = Extract<MailMessage, { type: 'ticket_activity' }>;

export interface TicketRef {
  projectKey: string;
  number: number;
  title: string;
}

export type TicketActivityContent =
  | {
      kind: 'status';
      to: string;
      recipientName: string;
      ticket: TicketRef;
      actorName: string | null;
      field: string;
      from: string | null;
      toValue: string | null;
    }
  | { kind: 'comment'; to: string; recipientName: string; ticket: TicketRef; authorName: string | null; body: string };

function readRecipient(db: Db, id: string) {
  return db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      notifyEmail: users.notifyEmail,
      disabledAt: users.disabledAt,
    })
    .from(users)
    .where(eq(users.id, id))
    .limit(1);
}
type Recipient = Awaited<ReturnType<typeof readRecipient>>[number];

/** The ticket's key and title, and whether the recipient may see its project now (the one visibility rule). */
function ticketFields(recipientId: string) {
  return {
    title: tickets.title,
    number: tickets.number,
    projectKey: named<string>(projects.key, 'project_key'),
    recipientCanSee: flag(canSeeProject(sql`${recipientId}`, tickets.projectId), 'recipient_can_see'),
  };
}

/** Why this recipient should not be told, or null. */
function refusal(recipient: Recipient | undefined, canSee: boolean, actorId: string | null): string | null {
  if (!recipient) return 'the recipient no longer exists';
  if (recipient.disabledAt !== null) return 'the recipient is disabled';
  if (!recipient.notifyEmail) return 'the recipient turned email notifications off';
  if (recipient.id === actorId) return 'the recipient made the change';
  if (!canSee) return 'the recipient can no longer see the project';
  return null;
}

function loadStatus(message: TicketActivityMessage) {
  return plan(
    (db) =>
      [
        readRecipient(db, message.recipientId),
        db
          .select({
            ...ticketFields(message.recipientId),
            actorId: ticketEvents.actorId,
            actorName: named<string | null>(users.name, 'actor_name'),
            field: ticketEvents.field,
            fromValue: ticketEvents.fromValue,
            toValue: ticketEvents.toValue,
          })
          .from(ticketEvents)
          .innerJoin(tickets, eq(tickets.id, ticketEvents.ticketId))
          .innerJoin(projects, eq(projects.id, tickets.projectId))
          .leftJoin(users, eq(users.id, ticketEvents.actorId))
          .where(eq(ticketEvents.id, message.id))
          .limit(1),
      ] as const,
    ([[recipient], [row]]): Loaded<TicketActivityContent> => {
      if (!row) return { ok: false, skip: 'the ticket change no longer exists' };
      const refused = refusal(recipient, row.recipientCanSee, row.actorId);
      if (refused !== null || !recipient) return { ok: false, skip: refused ?? 'the recipient no longer exists' };
      return {
        ok: true,
        content: {
          kind: 'status',
          to: recipient.email,
          recipientName: recipient.name,
          ticket: { projectKey: row.projectKey, number: row.number, title: row.title },
          actorName: row.actorName,
          field: row.field,
          from: row.fromValue,
          toValue: row.toValue,
        },
      };
    },
  );
}

function loadComment(message: TicketActivityMessage) {
  return plan(
    (db) =>
      [
        readRecipient(db, message.recipientId),
        db
          .select({
            ...ticketFields(message.recipientId),
            authorId: comments.authorId,
            authorName: named<string | null>(users.name, 'author_name'),
            body: comments.body,
          })
          .from(comments)
          .innerJoin(tickets, eq(tickets.id, comments.ticketId))
          .innerJoin(projects, eq(projects.id, tickets.projectId))
          .leftJoin(users, eq(users.id, comments.authorId))
          .where(eq(comments.id, message.id))
          .limit(1),
      ] as const,
    ([[recipient], [row]]): Loaded<TicketActivityContent> => {
      if (!row) return { ok: false, skip: 'the comment no longer exists' };
      const refused = refusal(recipient, row.recipientCanSee, row.authorId);
      if (refused !== null || !recipient) return { ok: false, skip: refused ?? 'the recipient no longer exists' };
      return {
        ok: true,
        content: {
          kind: 'comment',
          to: recipient.email,
          recipientName: recipient.name,
          ticket: { projectKey: row.projectKey, number: row.number, title: row.title },
          authorName: row.authorName,
          body: row.body,
        },
      };
    },
  );
}

export const ticketActivityMail: MailKind<TicketActivityMessage, TicketActivityContent> = {
  load: (message) => (message.kind === 'status' ? loadStatus(message) : loadComment(message)),
  compose: (content, { origin }) =>
    content.kind === 'status' ? composeStatus(content, origin) : composeComment(content, origin),
};

function composeStatus(content: Extract<TicketActivityContent, { kind: 'status' }>, origin: string): Composition {
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

function composeComment(content: Extract<TicketActivityContent, { kind: 'comment' }>, origin: string): Composition {
  const key = ticketKey(content.ticket);
  const who = content.authorName ?? 'Someone';
  return {
    subject: `[${key}] ${who} commented on ${content.ticket.title}`,
    blocks: [
      p(`Hello ${content.recipientName},`),
      p(`${who} commented on ${key}: ${content.ticket.title}`),
      quote(plainExcerpt(content.body)),
      link(`Read and reply on ${key}`, ticketUrl(origin, content.ticket)),
      notificationNote,
    ],
  };
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
