/** Helpers for the invitation tests: invitations made through the service, links, and per-test IPs. */
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { invitations, mailDeliveries, type Role } from '../../../src/db/schema';
import { DAY_MS, inviteByEmail } from '../../../src/invitations/service';
import { hashToken } from '../../../src/lib/crypto';
import { invitationToken } from '../../../src/lib/links';
import { testDb } from '../helpers';

let ipCounter = 0;

/** A client address of its own, so the per-IP rate limits of one test do not spill into the next. */
export function freshIp(): Record<string, string> {
  ipCounter++;
  return { 'CF-Connecting-IP': `10.${Math.floor(ipCounter / 250) % 250}.${ipCounter % 250}.${(Date.now() % 200) + 1}` };
}

export function uniqueEmail(prefix = 'invitee'): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}@example.com`;
}

/**
 * Creates an invitation through the service (as the invite form does) and returns its row and link token.
 * `direct` inserts the row instead: for an address that got an account after it was invited.
 */
export async function makeInvitation(
  opts: {
    email?: string;
    role?: Role;
    projectId?: string | null;
    senderId?: string | null;
    now?: number;
    direct?: boolean;
  } = {},
) {
  const email = opts.email ?? uniqueEmail();
  if (opts.direct) {
    const now = opts.now ?? Date.now();
    const id = crypto.randomUUID();
    const expiresAt = now + 7 * DAY_MS;
    const token = await invitationToken(env.TOKEN_SECRET!, { id, expiresAt });
    const row = {
      id,
      tokenHash: hashToken(token),
      email,
      senderId: opts.senderId ?? null,
      projectId: opts.projectId ?? null,
      role: opts.role ?? 'MEMBER',
      expiresAt,
      createdAt: now,
    } as const;
    await testDb().insert(invitations).values(row);
    return { email, row: (await invitationsFor(email))[0]!, token };
  }
  const result = await inviteByEmail(testDb(), {
    emails: [email],
    role: opts.role ?? 'MEMBER',
    projectId: opts.projectId ?? null,
    senderId: opts.senderId ?? null,
    now: opts.now ?? Date.now(),
    ttlMs: 7 * DAY_MS,
    secret: env.TOKEN_SECRET!,
  });
  if (!result.ok) throw new Error('invitation not created');
  const row = (await invitationsFor(email))[0]!;
  return { email, row, token: await invitationToken(env.TOKEN_SECRET!, row) };
}

export function invitationsFor(email: string) {
  return testDb().select().from(invitations).where(eq(invitations.email, email));
}

export function deliveriesFor(email: string) {
  return testDb().select().from(mailDeliveries).where(eq(mailDeliveries.recipient, email));
}

export async function tokenOf(invitationId: string): Promise<string> {
  const [row] = await testDb().select().from(invitations).where(eq(invitations.id, invitationId));
  return invitationToken(env.TOKEN_SECRET!, row!);
}

/** A response body without its per-response CSP nonces, to compare two pages. */
export async function bodyWithoutNonce(res: Response): Promise<string> {
  return (await res.text()).replace(/nonce="[^"]*"/g, 'nonce=""');
}
