/** @module db/schema — every table of hticket. Times are integer unix milliseconds; ids are UUID strings. */
import { isNotNull, isNull, sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const ROLES = ['MANAGER', 'MEMBER'] as const;
export type Role = (typeof ROLES)[number];
export const [MANAGER, MEMBER] = ROLES;

export const STATUSES = ['OPEN', 'IN_PROGRESS', 'REVIEW', 'DONE'] as const;
export type Status = (typeof STATUSES)[number];

export const PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** How a person hears about one kind of notification: an email at once, in the daily digest, or in the inbox only. */
export const DELIVERIES = ['email', 'digest', 'inbox'] as const;
export type Delivery = (typeof DELIVERIES)[number];

export const DELIVERY_STATES = ['QUEUED', 'SENT', 'FAILED'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** A mail delivery may also be SKIPPED: what it was about was no longer valid when the consumer got to it. */
export const MAIL_STATES = [...DELIVERY_STATES, 'SKIPPED'] as const;
export type MailState = (typeof MAIL_STATES)[number];

export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  role: text('role', { enum: ROLES }).notNull().default('MEMBER'),
  avatarKey: text('avatar_key'),
  passwordHash: text('password_hash').notNull(),
  notifyEmail: integer('notify_email', { mode: 'boolean' }).notNull().default(true),
  createdAt: integer('created_at').notNull(),
  disabledAt: integer('disabled_at'),
  // Per kind of notification, how it reaches the person (see notifications/preferences).
  notifyAssigned: text('notify_assigned', { enum: DELIVERIES }).notNull().default('email'),
  notifyMentioned: text('notify_mentioned', { enum: DELIVERIES }).notNull().default('email'),
  notifyWatched: text('notify_watched', { enum: DELIVERIES }).notNull().default('email'),
  notifyReminders: text('notify_reminders', { enum: DELIVERIES }).notNull().default('email'),
  /** When the last daily digest was planned for this person (it covers unread items since the one before). */
  lastDigestAt: integer('last_digest_at'),
});

export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    secretHash: text('secret_hash').notNull(),
    createdAt: integer('created_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  // The daily housekeeping finds ended sessions by either bound (sessionEnded: one index per side of its OR).
  (t) => [
    index('sessions_user_idx').on(t.userId),
    index('sessions_expires_idx').on(t.expiresAt),
    index('sessions_last_seen_idx').on(t.lastSeenAt),
  ],
);

/**
 * Failed password checks per bucket: `account:<email>` for clients the account does not know (keyed by the address, so
 * an unknown one counts and locks the same way), `device:<id>` for a browser holding the account's device cookie.
 */
export const signInThrottles = sqliteTable(
  'sign_in_throttles',
  {
    key: text('key').primaryKey(),
    failures: integer('failures').notNull().default(0),
    windowStartedAt: integer('window_started_at').notNull(),
    lockedUntil: integer('locked_until'),
  },
  // Spent buckets are deleted by the daily housekeeping (deleteStaleThrottles), oldest window first.
  (t) => [index('sign_in_throttles_window_idx').on(t.windowStartedAt)],
);

export const projects = sqliteTable('projects', {
  id: text('id').primaryKey(),
  key: text('key').notNull().unique(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: integer('created_at').notNull(),
  archivedAt: integer('archived_at'),
  /** The number the next ticket gets; bumped in the same batch that inserts the ticket. */
  nextTicketNumber: integer('next_ticket_number').notNull().default(1),
  /** Ticket counts per status, kept in the same batch as every ticket write (no COUNT(*) per request). */
  openCount: integer('open_count').notNull().default(0),
  inProgressCount: integer('in_progress_count').notNull().default(0),
  reviewCount: integer('review_count').notNull().default(0),
  doneCount: integer('done_count').notNull().default(0),
});

/** The projects column that counts the tickets in each status. */
export const STATUS_COUNTS = {
  OPEN: 'openCount',
  IN_PROGRESS: 'inProgressCount',
  REVIEW: 'reviewCount',
  DONE: 'doneCount',
} as const satisfies Record<Status, keyof typeof projects.$inferSelect>;
export type StatusCounts = Record<(typeof STATUS_COUNTS)[Status], number>;

export const projectMembers = sqliteTable(
  'project_members',
  {
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    addedAt: integer('added_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.userId] }), index('project_members_user_idx').on(t.userId)],
);

export const invitations = sqliteTable(
  'invitations',
  {
    id: text('id').primaryKey(),
    tokenHash: text('token_hash').notNull().unique(),
    email: text('email').notNull(),
    senderId: text('sender_id').references(() => users.id, { onDelete: 'set null' }),
    projectId: text('project_id').references(() => projects.id, { onDelete: 'set null' }),
    role: text('role', { enum: ROLES }).notNull().default('MEMBER'),
    usedAt: integer('used_at'),
    usedBy: text('used_by').references(() => users.id, { onDelete: 'set null' }),
    revokedAt: integer('revoked_at'),
    expiresAt: integer('expires_at').notNull(),
    createdAt: integer('created_at').notNull(),
    deliveryState: text('delivery_state', { enum: DELIVERY_STATES }).notNull().default('QUEUED'),
    deliveryError: text('delivery_error'),
  },
  (t) => [index('invitations_email_idx').on(t.email), index('invitations_created_idx').on(t.createdAt)],
);

export const passwordResets = sqliteTable(
  'password_resets',
  {
    id: text('id').primaryKey(),
    tokenHash: text('token_hash').notNull().unique(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
  },
  // Used or expired links are deleted by the daily housekeeping, found through these.
  (t) => [
    index('password_resets_user_idx').on(t.userId),
    index('password_resets_expires_idx').on(t.expiresAt),
    index('password_resets_used_idx').on(t.usedAt),
  ],
);

export const tickets = sqliteTable(
  'tickets',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    reporterId: text('reporter_id').references(() => users.id, { onDelete: 'set null' }),
    assigneeId: text('assignee_id').references(() => users.id, { onDelete: 'set null' }),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    status: text('status', { enum: STATUSES }).notNull().default('OPEN'),
    priority: text('priority', { enum: PRIORITIES }).notNull().default('MEDIUM'),
    /** 0 (LOW) … 3 (CRITICAL): lets the list sort by priority through an index. */
    priorityRank: integer('priority_rank').notNull().default(1),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
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

export const comments = sqliteTable(
  'comments',
  {
    id: text('id').primaryKey(),
    ticketId: text('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    authorId: text('author_id').references(() => users.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    createdAt: integer('created_at').notNull(),
    /** The body as sanitized HTML and the renderer version that made it, as on tickets. */
    bodyHtml: text('body_html'),
    renderedVersion: integer('rendered_version').notNull().default(0),
  },
  (t) => [
    index('comments_ticket_idx').on(t.ticketId, t.createdAt),
    index('comments_rendered_idx').on(t.renderedVersion),
  ],
);

export const ticketEvents = sqliteTable(
  'ticket_events',
  {
    id: text('id').primaryKey(),
    ticketId: text('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    actorId: text('actor_id').references(() => users.id, { onDelete: 'set null' }),
    field: text('field').notNull(),
    fromValue: text('from_value'),
    toValue: text('to_value'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('ticket_events_ticket_idx').on(t.ticketId, t.createdAt)],
);

/**
 * Who hears about a ticket's changes (see notifications/): the reporter, the assignee, commenters and mentioned people
 * are added as they act; anyone who can see the ticket may add or remove themselves.
 */
export const ticketWatchers = sqliteTable(
  'ticket_watchers',
  {
    ticketId: text('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.userId] }), index('ticket_watchers_user_idx').on(t.userId)],
);

export const INBOX_KINDS = ['change', 'comment', 'mention', 'assigned', 'unassigned', 'reminder'] as const;
export type InboxKind = (typeof INBOX_KINDS)[number];

/**
 * One row per person told about one change: a ticket_events row or a comment (`ref_id`), at most once per person
 * (the unique index). `read_at` NULL is unread.
 */
export const inboxItems = sqliteTable(
  'inbox_items',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    ticketId: text('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    actorId: text('actor_id').references(() => users.id, { onDelete: 'set null' }),
    kind: text('kind', { enum: INBOX_KINDS }).notNull(),
    refId: text('ref_id').notNull(),
    createdAt: integer('created_at').notNull(),
    readAt: integer('read_at'),
  },
  (t) => [
    index('inbox_items_user_created_idx').on(t.userId, t.createdAt, t.id),
    index('inbox_items_user_unread_idx').on(t.userId).where(isNull(t.readAt)),
    uniqueIndex('inbox_items_ref_user_idx').on(t.refId, t.userId),
    index('inbox_items_ticket_idx').on(t.ticketId),
  ],
);
export type InboxItem = typeof inboxItems.$inferSelect;

/** One row per logical email: the idempotency record of the mail pipeline. */
export const mailDeliveries = sqliteTable(
  'mail_deliveries',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    refId: text('ref_id').notNull(),
    recipient: text('recipient').notNull(),
    status: text('status', { enum: MAIL_STATES }).notNull().default('QUEUED'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    providerId: text('provider_id'),
    subject: text('subject'),
    textBody: text('text_body'),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
    /** The queue message this row stands for, as JSON without its deliveryId: what the outbox sweep sends again. */
    message: text('message'),
    /** When the outbox sweep last re-sent the message of a row still waiting. */
    sweptAt: integer('swept_at'),
  },
  (t) => [
    index('mail_deliveries_ref_idx').on(t.refId),
    index('mail_deliveries_created_idx').on(t.createdAt),
    index('mail_deliveries_status_idx').on(t.status, t.createdAt),
    // Only rows that still keep an email's text (development outboxes): the housekeeping clears the old ones.
    index('mail_deliveries_body_idx').on(t.createdAt).where(isNotNull(t.textBody)),
  ],
);

export type User = typeof users.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type Project = typeof projects.$inferSelect;
export type ProjectMember = typeof projectMembers.$inferSelect;
export type Invitation = typeof invitations.$inferSelect;
export type PasswordReset = typeof passwordResets.$inferSelect;
export type Ticket = typeof tickets.$inferSelect;
export type Comment = typeof comments.$inferSelect;
export type TicketEvent = typeof ticketEvents.$inferSelect;
export type MailDelivery = typeof mailDeliveries.$inferSelect;
export type SignInThrottle = typeof signInThrottles.$inferSelect;

/**
 * One row per create form submitted: the form carries a random key, and the create runs only when its key is new for
 * this user, so a double click, a retry or a resubmitted page creates nothing twice. `result` is what the first
 * submit created (its id), so a repeat gets the same answer.
 */
export const formSubmissions = sqliteTable(
  'form_submissions',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    result: text('result').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] }), index('form_submissions_created_idx').on(t.createdAt)],
);
export type FormSubmission = typeof formSubmissions.$inferSelect;

/**
 * One row per ticket and day a due-date reminder was planned for (the reminders job, tickets/reminders): the primary
 * key makes the job idempotent, however often the trigger runs. `run_id` names the round that wrote the row, so the
 * round plans an email for its own rows only.
 */
export const dueReminders = sqliteTable(
  'due_reminders',
  {
    ticketId: text('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    day: text('day').notNull(),
    recipientId: text('recipient_id').references(() => users.id, { onDelete: 'cascade' }),
    runId: text('run_id').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.ticketId, t.day] }),
    index('due_reminders_run_idx').on(t.runId),
    index('due_reminders_day_idx').on(t.day),
  ],
);
