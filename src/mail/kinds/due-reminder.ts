/**
 * @module mail/kinds/due-reminder — "NEX-3 is due tomorrow / overdue", sent to the ticket's assignee by the daily
 * reminders job: only while they are still its assignee, may see the project, are active and want notifications, and
 * while the ticket is not done and still due by the day after the reminder's day.
 */
import { eq, sql } from 'drizzle-orm';
import { canSeeProject } from '../../auth/permissions';
import { plan } from '../../db/plan';
import { projects, tickets, users } from '../../db/schema';
import { addDays } from '../../lib/due-dates';
import { absoluteUrl } from '../../lib/links';
import { ticketKey } from '../../views/labels';
import { ticketPath } from '../../web/paths';
import { link, note, p, type Composition } from '../blocks';
import type { MailMessage } from '../messages';
import { flag, named, type MailKind } from './kind';

type DueReminderMessage = Extract<MailMessage, { type: 'due_reminder' }>;

export interface DueReminderContent {
  to: string;
  recipientName: string;
  projectKey: string;
  number: number;
  title: string;
  dueDate: string;
  /** The reminder's day: the due date is compared with it. */
  day: string;
}

export const dueReminderMail: MailKind<DueReminderMessage, DueReminderContent> = {
  load: (message) =>
    plan(
      (db) =>
        [
          db
            .select({
              email: users.email,
              recipientName: named<string>(users.name, 'recipient_name'),
              notifyEmail: users.notifyEmail,
              disabledAt: users.disabledAt,
              title: tickets.title,
              number: tickets.number,
              status: tickets.status,
              dueDate: tickets.dueDate,
              assigneeId: tickets.assigneeId,
              projectKey: named<string>(projects.key, 'project_key'),
              canSee: flag(canSeeProject(sql`${message.recipientId}`, tickets.projectId), 'can_see'),
            })
            .from(tickets)
            .innerJoin(projects, eq(projects.id, tickets.projectId))
            .innerJoin(users, eq(users.id, message.recipientId))
            .where(eq(tickets.id, message.id))
            .limit(1),
        ] as const,
      ([[row]]) => {
        if (!row) return { ok: false, skip: 'the ticket or the recipient no longer exists' };
        if (row.assigneeId !== message.recipientId) return { ok: false, skip: 'the recipient is no longer assigned' };
        if (row.disabledAt !== null) return { ok: false, skip: 'the recipient is disabled' };
        if (!row.notifyEmail) return { ok: false, skip: 'the recipient turned email notifications off' };
        if (!row.canSee) return { ok: false, skip: 'the recipient can no longer see the project' };
        if (row.status === 'DONE') return { ok: false, skip: 'the ticket is done' };
        if (row.dueDate === null || row.dueDate > addDays(message.day, 1)) {
          return { ok: false, skip: 'the ticket is no longer due' };
        }
        return {
          ok: true,
          content: {
            to: row.email,
            recipientName: row.recipientName,
            projectKey: row.projectKey,
            number: row.number,
            title: row.title,
            dueDate: row.dueDate,
            day: message.day,
          },
        };
      },
    ),

  compose(content, { origin }): Composition {
    const key = ticketKey(content.projectKey, content.number);
    const when =
      content.dueDate < content.day
        ? `was due on ${content.dueDate} and is overdue`
        : content.dueDate === content.day
          ? `is due today (${content.dueDate})`
          : `is due tomorrow (${content.dueDate})`;
    const short =
      content.dueDate < content.day ? 'overdue' : content.dueDate === content.day ? 'due today' : 'due tomorrow';
    return {
      subject: `[${key}] ${short}: ${content.title}`,
      blocks: [
        p(`Hello ${content.recipientName},`),
        p(`${key}, assigned to you, ${when}: ${content.title}`),
        link(`Open ${key}`, absoluteUrl(origin, ticketPath(content.projectKey, content.number))),
        note(
          'You get one reminder a day for each ticket assigned to you that is due tomorrow or overdue, until it is done. Turn email notifications off in your profile.',
        ),
      ],
    };
  },
};
