/**
 * @module db/pg-schema — the PostgreSQL tables, mirroring ./schema (the SQLite design) table for table, column for
 * column, constraint for constraint. Types differ where PostgreSQL has a better one: ids are `uuid`, unix-millisecond
 * times `bigint`, flags `boolean`. Only migrations are made from it (drizzle-pg.config.ts); the app builds every query
 * with ./schema, and test/postgres/schema-drift.test.ts fails when the two drift apart.
 */
import { isNotNull, isNull, sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { DELIVERIES, DELIVERY_STATES, INBOX_KINDS, MAIL_STATES, PRIORITIES, ROLES, STATUSES } from './schema';

const millis = (name: string) => bigint(name, { mode: 'number' });

export const users = pgTable('users', {
  id: uuid('id').primaryKey(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  role: text('role', { enum: ROLES }).notNull().default('MEMBER'),
  avatarKey: text('avatar_key'),
  passwordHash: text('password_hash').notNull(),
  notifyEmail: boolean('notify_email').notNull().default(true),
  createdAt: millis('created_at').notNull(),
  disabledAt: millis('disabled_at'),
  notifyAssigned: text('notify_assigned', { enum: DELIVERIES }).notNull().default('email'),
  notifyMentioned: text('notify_mentioned', { enum: DELIVERIES }).notNull().default('email'),
  notifyWatched: text('notify_watched', { enum: DELIVERIES }).notNull().default('email'),
  notifyReminders: text('notify_reminders', { enum: DELIVERIES }).notNull().default('email'),
  lastDigestAt: millis('last_digest_at'),
});

export const signInThrottles = pgTable(
  'sign_in_throttles',
  {
    key: text('key').primaryKey(),
    failures: integer('failures').notNull().default(0),
    windowStartedAt: millis('window_started_at').notNull(),
    lockedUntil: millis('locked_until'),
  },
  (t) => [index('sign_in_throttles_window_idx').on(t.windowStartedAt)],
);

export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    secretHash: text('secret_hash').notNull(),
    createdAt: millis('created_at').notNull(),
    lastSeenAt: millis('last_seen_at').notNull(),
    expiresAt: millis('expires_at').notNull(),
  },
  // The daily housekeeping finds ended sessions by either bound (sessionEnded: one index per side of its OR).
  (t) => [
    index('sessions_user_idx').on(t.userId),
    index('sessions_expires_idx').on(t.expiresAt),
    index('sessions_last_seen_idx').on(t.lastSeenAt),
  ],
);

export const projects = pgTable('projects', {
  id: uuid('id').primaryKey(),
  key: text('key').notNull().unique(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: millis('created_at').notNull(),
  archivedAt: millis('archived_at'),
  nextTicketNumber: integer('next_ticket_number').notNull().default(1),
  openCount: integer('open_count').notNull().default(0),
  inProgressCount: integer('in_progress_count').notNull().default(0),
  reviewCount: integer('review_count').notNull().default(0),
  doneCount: integer('done_count').notNull().default(0),
});

export const projectMembers = pgTable(
  'project_members',
  {
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    addedAt: millis('added_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.userId] }), index('project_members_user_idx').on(t.userId)],
);

export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey(),
    tokenHash: text('token_hash').notNull().unique(),
    email: text('email').notNull(),
    senderId: uuid('sender_id').references(() => users.id, { onDelete: 'set null' }),
    projectId: uuid('project_id').references(() => projects.id, { onDelete: 'set null' }),
    role: text('role', { enum: ROLES }).notNull().default('MEMBER'),
    usedAt: millis('used_at'),
    usedBy: uuid('used_by').references(() => users.id, { onDelete: 'set null' }),
    revokedAt: millis('revoked_at'),
    expiresAt: millis('expires_at').notNull(),
    createdAt: millis('created_at').notNull(),
    deliveryState: text('delivery_state', { enum: DELIVERY_STATES }).notNull().default('QUEUED'),
    deliveryError: text('delivery_error'),
  },
  (t) => [index('invitations_email_idx').on(t.email), index('invitations_created_idx').on(t.createdAt)],
);

export const passwordResets = pgTable(
  'password_resets',
  {
    id: uuid('id').primaryKey(),
    tokenHash: text('token_hash').notNull().unique(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: millis('created_at').notNull(),
    expiresAt: millis('expires_at').notNull(),
    usedAt: millis('used_at'),
  },
  // Used or expired links are deleted by the daily housekeeping, found through these.
  (t) => [
    index('password_resets_user_idx').on(t.userId),
    index('password_resets_expires_idx').on(t.expiresAt),
    index('password_resets_used_idx').on(t.usedAt),
  ],
);

export const tickets = pgTable(
  'tickets',
  {
    id: uuid('id').primaryKey(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    reporterId: uuid('reporter_id').references(() => users.id, { onDelete: 'set null' }),
    assigneeId: uuid('assignee_id').references(() => users.id, { onDelete: 'set null' }),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    status: text('status', { enum: STATUSES }).notNull().default('OPEN'),
    priority: text('priority', { enum: PRIORITIES }).notNull().default('MEDIUM'),
    priorityRank: integer('priority_rank').notNull().default(1),
    createdAt: millis('created_at').notNull(),
    updatedAt: millis('updated_at').notNull(),
    /** Raised by every write to the ticket's fields: an edit made from an older version is refused (409). */
    version: integer('version').notNull().default(1),
    /** The description as sanitized HTML, rendered when it was written (lib/markdown); NULL before that existed. */
    descriptionHtml: text('description_html'),
    /** The renderer's `MARKDOWN_VERSION` that made `description_html`; an older one is rendered again. */
    renderedVersion: integer('rendered_version').notNull().default(0),
    /** A calendar day, `YYYY-MM-DD` (lib/due-dates), or none. */
    dueDate: text('due_date'),
    /** `YYYYMMDD` of the due date, 99999999 without one: sorts by due date through an index, undated last. */
    dueRank: integer('due_rank').notNull().default(99999999),
  },
  (t) => [
    uniqueIndex('tickets_project_number_idx').on(t.projectId, t.number),
    index('tickets_project_created_idx').on(t.projectId, t.createdAt, t.id),
    index('tickets_project_updated_idx').on(t.projectId, t.updatedAt, t.id),
    index('tickets_project_priority_idx').on(t.projectId, t.priorityRank, t.createdAt, t.id),
    index('tickets_project_status_idx').on(t.projectId, t.status, t.updatedAt, t.id),
    index('tickets_assignee_idx').on(t.assigneeId, t.createdAt),
    // My issues: the tickets a person reported, newest first.
    index('tickets_reporter_idx').on(t.reporterId, t.createdAt),
    // Housekeeping finds the rows an older renderer made.
    index('tickets_rendered_idx').on(t.renderedVersion),
    // The list sorted by due date (soonest first, undated last) within a project.
    index('tickets_project_due_idx').on(t.projectId, t.dueRank, t.createdAt, t.id),
    // Reminders: open tickets by due date across projects (done ones never need a reminder).
    index('tickets_due_open_idx')
      .on(t.dueRank, t.id)
      .where(sql`${t.status} <> 'DONE'`),
  ],
);

export const comments = pgTable(
  'comments',
  {
    id: uuid('id').primaryKey(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    createdAt: millis('created_at').notNull(),
    /** The body as sanitized HTML and the renderer version that made it, as on tickets. */
    bodyHtml: text('body_html'),
    renderedVersion: integer('rendered_version').notNull().default(0),
  },
  (t) => [
    index('comments_ticket_idx').on(t.ticketId, t.createdAt),
    index('comments_rendered_idx').on(t.renderedVersion),
  ],
);

export const ticketEvents = pgTable(
  'ticket_events',
  {
    id: uuid('id').primaryKey(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    field: text('field').notNull(),
    fromValue: text('from_value'),
    toValue: text('to_value'),
    createdAt: millis('created_at').notNull(),
  },
  (t) => [index('ticket_events_ticket_idx').on(t.ticketId, t.createdAt)],
);

export const ticketWatchers = pgTable(
  'ticket_watchers',
  {
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: millis('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.userId] }), index('ticket_watchers_user_idx').on(t.userId)],
);

export const inboxItems = pgTable(
  'inbox_items',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    kind: text('kind', { enum: INBOX_KINDS }).notNull(),
    refId: uuid('ref_id').notNull(),
    createdAt: millis('created_at').notNull(),
    readAt: millis('read_at'),
  },
  (t) => [
    index('inbox_items_user_created_idx').on(t.userId, t.createdAt, t.id),
    index('inbox_items_user_unread_idx').on(t.userId).where(isNull(t.readAt)),
    uniqueIndex('inbox_items_ref_user_idx').on(t.refId, t.userId),
    index('inbox_items_ticket_idx').on(t.ticketId),
  ],
);

export const mailDeliveries = pgTable(
  'mail_deliveries',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind').notNull(),
    /** The id of what the email is about (an invitation, a reset, a user, a ticket event): text, as it may be any. */
    refId: text('ref_id').notNull(),
    recipient: text('recipient').notNull(),
    status: text('status', { enum: MAIL_STATES }).notNull().default('QUEUED'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    providerId: text('provider_id'),
    subject: text('subject'),
    textBody: text('text_body'),
    createdAt: millis('created_at').notNull(),
    sentAt: millis('sent_at'),
    /** The queue message this row stands for, as JSON without its deliveryId: what the outbox sweep sends again. */
    message: text('message'),
    /** When the outbox sweep last re-sent the message of a row still waiting. */
    sweptAt: millis('swept_at'),
  },
  (t) => [
    index('mail_deliveries_ref_idx').on(t.refId),
    index('mail_deliveries_created_idx').on(t.createdAt),
    index('mail_deliveries_status_idx').on(t.status, t.createdAt),
    // Only rows that still keep an email's text (development outboxes): the housekeeping clears the old ones.
    index('mail_deliveries_body_idx').on(t.createdAt).where(isNotNull(t.textBody)),
  ],
);

/** One row per create form submitted (see ./schema). `result` is the id of what the first submit made: text, as it
 * may be an id of any table. */
export const formSubmissions = pgTable(
  'form_submissions',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    result: text('result').notNull(),
    createdAt: millis('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] }), index('form_submissions_created_idx').on(t.createdAt)],
);

/**
 * One row per ticket and day a due-date reminder was planned for (the reminders job, tickets/reminders): the primary
 * key makes the job idempotent, however often the trigger runs. `run_id` names the round that wrote the row, so the
 * round plans an email for its own rows only.
 */
export const dueReminders = pgTable(
  'due_reminders',
  {
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    day: text('day').notNull(),
    recipientId: uuid('recipient_id').references(() => users.id, { onDelete: 'cascade' }),
    runId: text('run_id').notNull(),
    createdAt: millis('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.ticketId, t.day] }),
    index('due_reminders_run_idx').on(t.runId),
    index('due_reminders_day_idx').on(t.day),
  ],
);
