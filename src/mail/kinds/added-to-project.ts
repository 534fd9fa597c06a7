/** @module mail/kinds/added-to-project — "you were added to P": sent while the user is still an active member. */
import { eq } from 'drizzle-orm';
import { isMemberOf } from '../../auth/permissions';
import { plan } from '../../db/plan';
import { projects, users } from '../../db/schema';
import { absoluteUrl } from '../../lib/links';
import { projectPath } from '../../web/paths';
import { link, p } from '../blocks';
import type { MailMessage } from '../messages';
import { flag, named, type MailKind } from './kind';

export interface AddedToProjectContent {
  to: string;
  userName: string;
  project: { name: string; key: string };
}

export const addedToProjectMail: MailKind<Extract<MailMessage, { type: 'added_to_project' }>, AddedToProjectContent> = {
  load: (message) =>
    plan(
      (db) =>
        [
          db
            .select({
              email: users.email,
              userName: named<string>(users.name, 'user_name'),
              disabledAt: users.disabledAt,
              projectName: named<string>(projects.name, 'project_name'),
              projectKey: projects.key,
              archivedAt: projects.archivedAt,
              isMember: flag(isMemberOf(message.id, message.projectId), 'is_member'),
            })
            .from(users)
            .innerJoin(projects, eq(projects.id, message.projectId))
            .where(eq(users.id, message.id))
            .limit(1),
        ] as const,
      ([[row]]) => {
        if (!row) return { ok: false, skip: 'the user or the project no longer exists' };
        if (row.disabledAt !== null) return { ok: false, skip: 'the account is disabled' };
        if (row.archivedAt !== null) return { ok: false, skip: 'the project is archived' };
        if (!row.isMember) return { ok: false, skip: 'the user is no longer a member of the project' };
        return {
          ok: true,
          content: { to: row.email, userName: row.userName, project: { name: row.projectName, key: row.projectKey } },
        };
      },
    ),

  compose({ userName, project: { name, key } }, { origin }) {
    return {
      subject: `You were added to ${name} on hticket`,
      blocks: [
        p(`Hello ${userName},`),
        p(`You were added to the project ${name} (${key}) on hticket.`),
        link(`Open ${name}`, absoluteUrl(origin, projectPath(key))),
      ],
    };
  },
};
