/** @module accounts/password-reset-routes — asking for a reset link, and setting a new password with it. */
import { scryptParams } from '../auth/passwords';
import { Hono } from 'hono/tiny';
import type { Context } from 'hono';
import { deviceAfterSuccess, readDeviceCookie, setDeviceCookie } from '../auth/device-cookie';
import { runPlan } from '../db/plan';
import type { AppEnv } from '../env';
import { isUuid } from '../lib/crypto';
import { enqueuePasswordResetRequest } from '../mail/producer';
import { rateLimit } from '../middleware/rate-limit';
import { noStoreNoReferrer } from '../middleware/security';
import { formValidator } from '../web/forms';
import { validParams } from '../web/params';
import { renderPage } from '../web/render';
import { passwordResetRequestSchema, passwordResetSchema } from './schemas';
import { findPasswordReset } from '../auth/password-resets';
import { resetPassword } from './service';
import { NewPasswordForm, ResetLinkUnusable, ResetRequestForm, ResetRequestSent } from './views/password-reset';

type Ctx = Context<AppEnv>;

export const passwordResetRoutes = new Hono<AppEnv>();

// The link's token is in these URLs.
passwordResetRoutes.use('/password-reset/:token', noStoreNoReferrer());

passwordResetRoutes.get('/password-reset', (c) => renderPage(c, 'Reset your password', <ResetRequestForm />));

passwordResetRoutes.post(
  '/password-reset',
  rateLimit('AUTH_LIMITER', 'password-reset'),
  formValidator(passwordResetRequestSchema, (c: Ctx, errors, values) =>
    renderPage(c, 'Reset your password', <ResetRequestForm email={values.email} errors={errors} />, 422),
  ),
  async (c) => {
    // No lookup here: a known and an unknown address do the same work (the queue consumer looks it up).
    await enqueuePasswordResetRequest(c.env, c.req.valid('form').email);
    return renderPage(c, 'Check your email', <ResetRequestSent />);
  },
);

function linkUnusable(c: Ctx) {
  return renderPage(c, 'This link no longer works', <ResetLinkUnusable />, 410);
}

const tokenParam = validParams({ token: isUuid });

passwordResetRoutes.get('/password-reset/:token', tokenParam, async (c) => {
  const token = c.req.param('token');
  const reset = await runPlan(c.get('db'), findPasswordReset(token, Date.now()));
  if (!reset) return linkUnusable(c);
  return renderPage(c, 'Choose a new password', <NewPasswordForm token={token} />);
});

passwordResetRoutes.post(
  '/password-reset/:token',
  rateLimit('AUTH_LIMITER', 'password-reset'),
  tokenParam,
  formValidator(passwordResetSchema, (c: Ctx, errors) => {
    const token = c.req.param('token')!;
    return renderPage(c, 'Choose a new password', <NewPasswordForm token={token} errors={errors} />, 422);
  }),
  async (c) => {
    const token = c.req.param('token');
    const now = Date.now();
    const reset = await runPlan(c.get('db'), findPasswordReset(token, now));
    if (!reset) return linkUnusable(c);
    const password = c.req.valid('form').new_password;
    const result = await resetPassword(
      c.get('db'),
      reset,
      password,
      now,
      scryptParams(c.get('config').PASSWORD_HASH_COST),
    );
    if (!result.ok && result.reason === 'policy') {
      const errors = { new_password: result.message };
      return renderPage(c, 'Choose a new password', <NewPasswordForm token={token} errors={errors} />, 422);
    }
    if (!result.ok) return linkUnusable(c);
    // The link proves the mailbox: this browser becomes a known device, so strangers keeping the account's lock
    // going cannot stop its owner from signing in here.
    setDeviceCookie(c, deviceAfterSuccess(readDeviceCookie(c), reset.userId));
    // No automatic sign-in: whoever holds the link still has to know the new password.
    return c.redirect('/login?notice=password-reset', 303);
  },
);
