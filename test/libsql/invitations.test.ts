/** The invitation service on real libSQL: the conditional join batch must behave as it does on D1. */
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { invitations, projectMembers, projects, sessions, users } from '../../src/db/schema';
import { joinAsNewUser } from '../../src/invitations/join';
import { findInvitationByToken, invitationsPage } from '../../src/invitations/queries';
import { runPlan } from '../../src/db/plan';
import { DAY_MS, inviteByEmail } from '../../src/invitations/service';
import { invitationToken } from '../../src/lib/links';
import { useLibsqlDb } from './helpers';

const SECRET = 'libsql-test-secret-0123456789abcdef';

describe('invitations on libSQL', () => {
  const { db } = useLibsqlDb();

  it('invites, reads the link, and joins exactly once', async () => {
    const now = Date.now();
    const projectId = crypto.randomUUID();
    await db.insert(projects).values({ id: projectId, key: 'LIB', name: 'Lib', createdAt: now });
    const result = await inviteByEmail(db, {
      emails: ['lib@example.com'],
      role: 'MANAGER',
      projectId,
      senderId: null,
      now,
      ttlMs: 7 * DAY_MS,
      secret: SECRET,
    });
    expect(result.ok && result.outcomes.map((o) => o.kind)).toEqual(['invited']);
    const [row] = await db.select().from(invitations).where(eq(invitations.email, 'lib@example.com'));
    const token = await invitationToken(SECRET, row!);

    const found = await runPlan(db, findInvitationByToken(token));
    expect(found).toMatchObject({ email: 'lib@example.com', projectKey: 'LIB', accountExists: 0 });
    const [listed] = await db.batch([invitationsPage(db, sql`1 = 1`, null)]);
    expect(listed[0]).toMatchObject({ email: 'lib@example.com', projectName: 'Lib', senderName: null });

    const input = { invitationId: row!.id, name: 'Lib User', passwordHash: 'x', now: now + 1 };
    const outcomes = await Promise.all([runPlan(db, joinAsNewUser(input)), runPlan(db, joinAsNewUser(input))]);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    const created = await db.select().from(users).where(eq(users.email, 'lib@example.com'));
    expect(created).toHaveLength(1);
    expect(created[0]!.role).toBe('MANAGER');
    expect(await db.select().from(projectMembers).where(eq(projectMembers.userId, created[0]!.id))).toHaveLength(1);
    expect(await db.select().from(sessions).where(eq(sessions.userId, created[0]!.id))).toHaveLength(1);
  });
});
