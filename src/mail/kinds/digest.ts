/**
 * @module mail/kinds/digest — the daily digest: one email listing a person's unread inbox items of the kinds they
 * chose "daily digest" for, made since their previous digest. Read when it is sent: items read meanwhile, or in
 * projects the person may no longer see, are left out, and with nothing left the email is skipped.
 */
import { and, desc, eq, gt, isNull, lte, sql } from 'drizzle-orm';
import { canSeeProject } from '../../auth/permissions';
import { plan } from '../../db/plan';
import { comments, inboxItems, projects, ticketEvents, tickets, users } from '../../db/schema';
import { absoluteUrl } from '../../lib/links';
import { inboxSummary, selectInboxItems, type InboxRow } from '../../notifications/items';
import { wantsDigest } from '../../notifications/preferences';
import { ticketKey } from '../../views/labels';
import { ticketPath } from '../../web/paths';
import { link, note, p, type Composition } from '../blocks';
import type { MailMessage } from '../messages';
import { named, type MailKind } from './kind';

type DigestMessage = Extract<MailMessage, { type: 'digest' }>;

/** At most this many items are listed; the rest are counted and left to the inbox. */
export const DIGEST_ITEMS = 30;

export interface DigestContent {
  to: string;
  recipientName: string;
  items: InboxRow[];
  more: boolean;
}

export const digestMail: MailKind<DigestMessage, DigestContent> = {
  load: (message) =>
    plan(
      (db) =>
        [
          db
            .select({
              email: users.email,
              name: users.name,
              notifyEmail: users.notifyEmail,
              disabledAt: users.disabledAt,
            })
            .from(users)
            .where(eq(users.id, message.id))
            .limit(1),
          selectInboxItems(
            db,
            and(
              eq(inboxItems.userId, message.id),
              isNull(inboxItems.readAt),
              gt(inboxItems.createdAt, message.since),
              lte(inboxItems.createdAt, message.until),
              sql`exists (select 1 from ${users} where ${users.id} = ${inboxItems.userId} and ${wantsDigest(inboxItems.kind)})`,
              canSeeProject(sql`${message.id}`, tickets.projectId),
            )!,
            DIGEST_ITEMS + 1,
          ),
        ] as const,
      ([[recipient], rows]) => {
        if (!recipient) return { ok: false, skip: 'the recipient no longer exists' };
        if (recipient.disabledAt !== null) return { ok: false, skip: 'the recipient is disabled' };
        if (!recipient.notifyEmail) return { ok: false, skip: 'the recipient turned email notifications off' };
        if (rows.length === 0) return { ok: false, skip: 'nothing unread for the digest any more' };
        return {
          ok: true,
          content: {
            to: recipient.email,
            recipientName: recipient.name,
            items: rows.slice(0, DIGEST_ITEMS) as InboxRow[],
            more: rows.length > DIGEST_ITEMS,
          },
        };
      },
    ),

  compose(content, { origin }): Composition {
    const count = content.items.length;
    const subject = `Your daily digest: ${count}${content.more ? '+' : ''} unread ${count === 1 ? 'item' : 'items'}`;
    return {
      subject,
      blocks: [
        p(`Hello ${content.recipientName},`),
        p('Here is what happened since your last digest and is still unread:'),
        ...content.items.map((item) =>
          link(
            `${ticketKey(item.projectKey, item.number)} ${item.title}: ${inboxSummary(item)}`,
            absoluteUrl(origin, ticketPath(item.projectKey, item.number)),
          ),
        ),
        ...(content.more ? [p('More is waiting in your inbox.')] : []),
        link('Open your inbox', absoluteUrl(origin, '/inbox')),
        note(
          'You get this digest once a day for the kinds of notification you chose "Daily digest" for. Change it in your profile.',
        ),
      ],
    };
  },
};
