/**
 * @module mail/kinds/ticket-activity — a ticket's change or new comment, told to someone in the project: sent while
 * they still may see the project, are active, want notifications and did not make the change themselves.
 */
import { and, eq, ne, sql, type SQLWrapper } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { dialectOf } from '../../db/dialects';
import { fieldOrder, namedFields } from '../../notifications/fields';
import { MENTION_RE } from '../../notifications/mentions';
import { canSeeProject } from '../../auth/permissions';
import type { Db } from '../../db/database';
import { plan } from '../../db/plan';
import { comments, projectMembers, projects, ticketEvents, tickets, users } from '../../db/schema';
import { absoluteUrl } from '../../lib/links';
import { PRIORITY_LABELS, STATUS_LABELS, ticketKey } from '../../views/labels';
import { ticketPath } from '../../web/paths';
import { link, note, p, plainExcerpt, quote, type Composition } from '../blocks';
import type { MailMessage } from '../messages';
import { flag, named, type Loaded, type MailKind } from './kind';

type TicketActivityMessage = Extract<MailMessage, { type: 'ticket_activity' }>;

export interface TicketRef {
  projectKey: string;
  number: number;
  title: string;
}

/** One field's change as an email tells it (an assignee by the person's current name). */
export interface FieldChange {
  field: string;
  from: string | null;
  toValue: string | null;
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
      /** The same save's other changes (same ticket, actor and time), told in the same email. */
      others: FieldChange[];
    }
  | {
      kind: 'comment';
      to: string;
      recipientName: string;
      ticket: TicketRef;
      authorName: string | null;
      body: string;
      /** The current names of the project's members mentioned in `body`, by id. */
      mentioned: Record<string, string>;
    };

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

type Specific =
  | ({ kind: 'status'; actorName: string | null; others: FieldChange[] } & FieldChange)
  | { kind: 'comment'; authorName: string | null; body: string; mentioned: Record<string, string> };

/** The content for a found change or comment (`row`), or why it is not sent (`missing` when the row is gone). */
function decide<R extends { title: string; number: number; projectKey: string; recipientCanSee: boolean }>(
  recipient: Recipient | undefined,
  row: R | undefined,
  missing: string,
  describe: (row: R) => { actorId: string | null; specific: Specific },
): Loaded<TicketActivityContent> {
  if (!row) return { ok: false, skip: missing };
  const { actorId, specific } = describe(row);
  const refused = refusal(recipient, row.recipientCanSee, actorId);
  if (refused !== null || !recipient) return { ok: false, skip: refused ?? 'the recipient no longer exists' };
  const ticket = { projectKey: row.projectKey, number: row.number, title: row.title };
  return { ok: true, content: { to: recipient.email, recipientName: recipient.name, ticket, ...specific } };
}

/** The value of a change (`field` and `value` of one events row) as told: an assignee by the person's current name. */
function assigneeName(db: Db, field: SQLWrapper, value: SQLWrapper, alias: string) {
  const name = sql`(select ${users.name} from ${users} where ${users.id} = ${dialectOf(db).textAsId(value)})`;
  return sql<
    string | null
  >`case when ${field} = 'assignee' then coalesce(${name}, case when ${value} is null then null else 'a former user' end) else ${value} end`.as(
    alias,
  );
}

/** The other changes of the save that made the change `id`: same ticket, actor and time (ticket_events_ticket_idx). */
const sibling = alias(ticketEvents, 'sibling');
function otherChanges(db: Db, id: string) {
  return db
    .select({
      field: sibling.field,
      from: assigneeName(db, sibling.field, sibling.fromValue, 'from_value'),
      toValue: assigneeName(db, sibling.field, sibling.toValue, 'to_value'),
    })
    .from(ticketEvents)
    .innerJoin(
      sibling,
      and(
        eq(sibling.ticketId, ticketEvents.ticketId),
        eq(sibling.createdAt, ticketEvents.createdAt),
        sql`${sibling.actorId} is not distinct from ${ticketEvents.actorId}`,
        ne(sibling.id, ticketEvents.id),
      ),
    )
    .where(eq(ticketEvents.id, id))
    .limit(10);
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
            fromValue: assigneeName(db, ticketEvents.field, ticketEvents.fromValue, 'from_value'),
            toValue: assigneeName(db, ticketEvents.field, ticketEvents.toValue, 'to_value'),
          })
          .from(ticketEvents)
          .innerJoin(tickets, eq(tickets.id, ticketEvents.ticketId))
          .innerJoin(projects, eq(projects.id, tickets.projectId))
          .leftJoin(users, eq(users.id, ticketEvents.actorId))
          .where(eq(ticketEvents.id, message.id))
          .limit(1),
        otherChanges(db, message.id),
      ] as const,
    ([[recipient], [row], others]) =>
      decide(recipient, row, 'the ticket change no longer exists', (r) => ({
        actorId: r.actorId,
        specific: {
          kind: 'status',
          actorName: r.actorName,
          field: r.field,
          from: r.fromValue,
          toValue: r.toValue,
          others: [...others].sort((a, b) => fieldOrder(a.field) - fieldOrder(b.field)),
        },
      })),
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
        // The project's members the comment mentions (a token holds the id in brackets), as the ticket page names them.
        db
          .select({ id: users.id, name: users.name })
          .from(comments)
          .innerJoin(tickets, eq(tickets.id, comments.ticketId))
          .innerJoin(projectMembers, eq(projectMembers.projectId, tickets.projectId))
          .innerJoin(users, eq(users.id, projectMembers.userId))
          .where(and(eq(comments.id, message.id), sql`${comments.body} like '%(' || ${users.id} || ')%'`))
          .limit(50),
      ] as const,
    ([[recipient], [row], mentioned]) =>
      decide(recipient, row, 'the comment no longer exists', (r) => ({
        actorId: r.authorId,
        specific: {
          kind: 'comment',
          authorName: r.authorName,
          body: r.body,
          mentioned: Object.fromEntries(mentioned.map((m) => [String(m.id).toLowerCase(), m.name])),
        },
      })),
  );
}

export const ticketActivityMail: MailKind<TicketActivityMessage, TicketActivityContent> = {
  load: (message) => (message.kind === 'status' ? loadStatus(message) : loadComment(message)),
  compose: (content, { origin }) =>
    content.kind === 'status' ? composeStatus(content, origin) : composeComment(content, origin),
};

function composeStatus(content: Extract<TicketActivityContent, { kind: 'status' }>, origin: string): Composition {
  const key = ticketKey(content.ticket.projectKey, content.ticket.number);
  const who = content.actorName ?? 'Someone';
  const greeting = p(`Hello ${content.recipientName},`);
  const open = link(`Open ${key}`, ticketUrl(origin, content.ticket));
  if (content.others.length > 0) {
    // One save that changed several fields: one email that tells them all, one line each.
    const all = [content, ...content.others];
    return {
      subject: `[${key}] ${content.ticket.title}: ${namedFields(all.map((c) => c.field))} changed`,
      blocks: [
        greeting,
        p(`${who} changed ${key}: ${content.ticket.title}`),
        ...all.map((c) => p(changeLine(c))),
        open,
        notificationNote,
      ],
    };
  }
  const from = fieldValue(content.field, content.from);
  const to = fieldValue(content.field, content.toValue);
  const name = FIELD_LABELS[content.field]?.toLowerCase() ?? content.field;
  // A description's new text is the ticket's own (its event keeps only the old one): no "from … to" for it.
  const change =
    content.field === 'status'
      ? `moved ${key} from ${from} to ${to}`
      : content.field === 'description'
        ? `changed the description of ${key}`
        : `changed the ${name} of ${key} from ${from} to ${to}`;
  return {
    subject:
      content.field === 'description'
        ? `[${key}] ${content.ticket.title}: description changed`
        : `[${key}] ${content.ticket.title}: ${from} → ${to}`,
    blocks: [greeting, p(`${who} ${change}: ${content.ticket.title}`), open, notificationNote],
  };
}

const FIELD_LABELS: Record<string, string> = {
  status: 'Status',
  priority: 'Priority',
  assignee: 'Assignee',
  due_date: 'Due date',
  title: 'Title',
  description: 'Description',
};

/** "Status: Open → Done"; the description only says it changed (its new text is on the ticket). */
function changeLine(change: FieldChange): string {
  const label = FIELD_LABELS[change.field] ?? change.field;
  if (change.field === 'description') return `${label}: changed`;
  return `${label}: ${fieldValue(change.field, change.from)} → ${fieldValue(change.field, change.toValue)}`;
}

function composeComment(content: Extract<TicketActivityContent, { kind: 'comment' }>, origin: string): Composition {
  const key = ticketKey(content.ticket.projectKey, content.ticket.number);
  const who = content.authorName ?? 'Someone';
  return {
    subject: `[${key}] ${who} commented on ${content.ticket.title}`,
    blocks: [
      p(`Hello ${content.recipientName},`),
      p(`${who} commented on ${key}: ${content.ticket.title}`),
      quote(plainExcerpt(mentionsAsNames(content.body, content.mentioned))),
      link(`Read and reply on ${key}`, ticketUrl(origin, content.ticket)),
      notificationNote,
    ],
  };
}

/** Each mention token as "@" and the person's current name, or "@former member" as on the ticket page. */
function mentionsAsNames(body: string, mentioned: Record<string, string>): string {
  return body.replace(MENTION_RE, (_whole, _written: string, id: string) => {
    const name = mentioned[id.toLowerCase()];
    return name === undefined ? '@former member' : `@${name}`;
  });
}

const notificationNote = note(
  'You get this email because you are in this project. Turn email notifications off in your profile.',
);

function ticketUrl(origin: string, ticket: TicketRef): string {
  return absoluteUrl(origin, ticketPath(ticket.projectKey, ticket.number));
}

function fieldValue(field: string, value: string | null): string {
  if (value === null || value === '') return 'nothing';
  const labels: Record<string, string> | undefined =
    field === 'status' ? STATUS_LABELS : field === 'priority' ? PRIORITY_LABELS : undefined;
  return labels?.[value] ?? value;
}
