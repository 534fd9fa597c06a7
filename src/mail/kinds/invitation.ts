/** @module mail/kinds/invitation — "X invited you to hticket": sent while the invitation is still pending. */
import { eq } from 'drizzle-orm';
import { invitations, MANAGER, projects, users, type Role } from '../../db/schema';
import { plan } from '../../db/plan';
import { invitationStatus, type InvitationStatus } from '../../auth/invitations';
import { invitationToken, joinUrl } from '../../lib/links';
import { formatDate, link, note, p } from '../blocks';
import type { MailMessage } from '../messages';
import { named, type MailKind } from './kind';

export interface InvitationContent {
  to: string;
  invitation: { id: string; expiresAt: number; role: Role };
  senderName: string | null;
  project: { name: string; key: string } | null;
}

const NOT_PENDING: Record<Exclude<InvitationStatus, 'pending'>, string> = {
  used: 'the invitation was already used',
  revoked: 'the invitation was revoked',
  expired: 'the invitation has expired',
};

export const invitationMail: MailKind<Extract<MailMessage, { type: 'invitation' }>, InvitationContent> = {
  load: (message, now) =>
    plan(
      (db) =>
        [
          db
            .select({
              id: invitations.id,
              email: invitations.email,
              role: invitations.role,
              usedAt: invitations.usedAt,
              revokedAt: invitations.revokedAt,
              expiresAt: invitations.expiresAt,
              senderName: named<string | null>(users.name, 'sender_name'),
              projectName: named<string | null>(projects.name, 'project_name'),
              projectKey: named<string | null>(projects.key, 'project_key'),
            })
            .from(invitations)
            .leftJoin(users, eq(users.id, invitations.senderId))
            .leftJoin(projects, eq(projects.id, invitations.projectId))
            .where(eq(invitations.id, message.id))
            .limit(1),
        ] as const,
      ([[row]]) => {
        if (!row) return { ok: false, skip: 'the invitation no longer exists' };
        const status = invitationStatus(row, now);
        if (status !== 'pending') return { ok: false, skip: NOT_PENDING[status] };
        const { projectName, projectKey } = row;
        return {
          ok: true,
          content: {
            to: row.email,
            invitation: { id: row.id, expiresAt: row.expiresAt, role: row.role },
            senderName: row.senderName,
            project: projectName !== null && projectKey !== null ? { name: projectName, key: projectKey } : null,
          },
        };
      },
    ),

  async compose(content, { origin, tokenSecret }) {
    const url = joinUrl(origin, await invitationToken(tokenSecret, content.invitation));
    const who = content.senderName ?? 'Someone';
    const as = content.invitation.role === MANAGER ? 'a manager' : 'a member';
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
  },
};
