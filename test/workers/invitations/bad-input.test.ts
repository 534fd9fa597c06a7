import { describe, expect, it } from 'vitest';
import { send, signedIn } from '../helpers';
import { freshIp, invitationsFor, makeInvitation, uniqueEmail } from './helpers';

/** A multipart content type without its boundary: the body cannot be parsed at all. */
const NO_BOUNDARY = { 'Content-Type': 'multipart/form-data' };

describe('bodies that cannot be read', () => {
  it('answer the invite form with 400, not 500, and invite nobody', async () => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const email = uniqueEmail();
    const res = await send('/invitations', {
      method: 'POST',
      cookie,
      body: `emails=${email}`,
      headers: { ...NO_BOUNDARY, ...freshIp() },
    });
    expect(res.status).toBe(400);
    expect(await invitationsFor(email)).toHaveLength(0);
  });

  it('answer the join form with 400, not 500, and leave the invitation usable', async () => {
    const { email, token } = await makeInvitation();
    const res = await send(`/join/${token}/`, {
      method: 'POST',
      body: 'name=x',
      headers: { ...NO_BOUNDARY, ...freshIp() },
    });
    expect(res.status).toBe(400);
    expect((await invitationsFor(email))[0]!.usedAt).toBeNull();
  });

  it('refuse repeated fields on the join form with 422', async () => {
    const { email, token } = await makeInvitation();
    const res = await send(`/join/${token}/`, {
      form: { name: ['A', 'B'], password: 'correct horse battery', confirm: 'correct horse battery' },
      headers: freshIp(),
    });
    expect(res.status).toBe(422);
    expect((await invitationsFor(email))[0]!.usedAt).toBeNull();
  });
});
