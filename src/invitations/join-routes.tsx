/** @module invitations/join-routes — `/join/<token>/`: the only way a new user gets in. */
import { Hono } from 'hono/tiny';
import type { Context } from 'hono';
import { hashPassword, scryptParams } from '../auth/passwords';
import type { AppEnv } from '../env';
import { isUuid } from '../lib/crypto';
import { rateLimit } from '../middleware/rate-limit';
import { noStoreNoReferrer } from '../middleware/security';
import { authenticate } from '../auth/authenticate';
import { setSessionTokenCookie } from '../auth/cookies';
import { runPlan } from '../db/plan';
import type { User } from '../db/schema';
import { formValues, parseForm, readForm } from '../web/forms';
import { renderPage } from '../web/render';
import { joinSchema } from './schemas';
import { acceptInvitation, joinAsNewUser } from './join';
import { invitationStatus } from '../auth/invitations';
import { findInvitationByToken, type JoinInvitation } from './queries';
import { AcceptInvitation, JoinForm, JoinUnavailable, OtherAddress, SignInToAccept } from './views/join-page';
import { projectPath } from '../web/paths';

type Ctx = Context<AppEnv>;

export const joinRoutes = new Hono<AppEnv>();

// GETs count too: guessing links is what this limit is for, and a mail scanner's one visit stays far below it.
joinRoutes.use('/join/*', noStoreNoReferrer(), rateLimit('AUTH_LIMITER', 'join', { methods: 'all' }));

/** Unknown and malformed links get 404, expired, used and revoked ones 410 — with the same page either way. */
function unavailable(c: Ctx, status: 404 | 410) {
  return renderPage(c, 'Invitation link', <JoinUnavailable />, status);
}

type Lookup =
  { response: Response | Promise<Response> } | { token: string; invitation: JoinInvitation; user: User | null };

/** The token check and the session check in one round trip. */
async function lookup(c: Ctx): Promise<Lookup> {
  const token = c.req.param('token');
  if (!isUuid(token)) return { response: unavailable(c, 404) };
  const { user, out: invitation } = await authenticate(c, findInvitationByToken(token), 'optional');
  if (!invitation) return { response: unavailable(c, 404) };
  if (invitationStatus(invitation, Date.now()) !== 'pending') return { response: unavailable(c, 410) };
  return { token, invitation, user };
}

function title(invitation: JoinInvitation): string {
  return invitation.projectName ? `Join ${invitation.projectName}` : 'Join hticket';
}

/** What a visitor who is signed in, or who already has an account, sees instead of the form. */
function forKnownPerson(c: Ctx, found: Exclude<Lookup, { response: unknown }>) {
  const { token, invitation, user } = found;
  if (user && user.email !== invitation.email) {
    return renderPage(c, 'Invitation', <OtherAddress invitation={invitation} signedInAs={user.email} />, 409);
  }
  if (user) return renderPage(c, title(invitation), <AcceptInvitation token={token} invitation={invitation} />);
  if (invitation.accountExists) {
    return renderPage(c, title(invitation), <SignInToAccept token={token} invitation={invitation} />);
  }
  return undefined;
}

// Opening a link never changes anything (mail scanners follow links): it shows a form or a page.
joinRoutes.get('/join/:token', async (c) => {
  const found = await lookup(c);
  if ('response' in found) return found.response;
  return (
    forKnownPerson(c, found) ??
    renderPage(c, title(found.invitation), <JoinForm token={found.token} invitation={found.invitation} />)
  );
});

joinRoutes.post('/join/:token', async (c) => {
  const found = await lookup(c);
  if ('response' in found) return found.response;
  const { token, invitation, user } = found;
  const db = c.get('db');

  if (user && user.email === invitation.email) {
    const accepted = await runPlan(
      db,
      acceptInvitation({ invitationId: invitation.id, userId: user.id, email: user.email, now: Date.now() }),
    );
    if (!accepted.ok) return unavailable(c, 410);
    return c.redirect(accepted.projectKey ? projectPath(accepted.projectKey) : '/', 303);
  }
  const other = forKnownPerson(c, found);
  if (other) return other;

  // Any posted email is ignored: the account gets the invitation's address and role.
  const body = await readForm(c);
  const parsed = parseForm(joinSchema(invitation.email), body);
  if (!parsed.success) {
    const view = <JoinForm token={token} invitation={invitation} values={formValues(body)} errors={parsed.errors} />;
    return renderPage(c, title(invitation), view, 422);
  }
  const passwordHash = await hashPassword(parsed.data.password, scryptParams(c.get('config').PASSWORD_HASH_COST));
  const joined = await runPlan(
    db,
    joinAsNewUser({ invitationId: invitation.id, name: parsed.data.name, passwordHash, now: Date.now() }),
  );
  if (!joined.ok) return unavailable(c, 410);
  setSessionTokenCookie(c, joined.sessionToken);
  return c.redirect(joined.projectKey ? projectPath(joined.projectKey) : '/', 303);
});

joinRoutes.all('/join/*', (c) => unavailable(c, 404));
