/** @module accounts/password-reset-routes — asking for a reset link, and setting a new password with it. */
import { Hono } from 'hono/tiny';
import type { Context } from 'hono';
import { runPlan } from '../db/plan';
import type { AppEnv } from '../env';
import { isUuid } from '../lib/crypto';
import { enqueueMail } from '../mail/producer';
import { rateLimit } from '../middleware/rate-limit';
import { noStoreNoReferrer } from '../middleware/security';
import { formValidator } from '../web/forms';
import { renderNotFound, renderPage } from '../web/render';
import { passwordResetRequestSchema, passwordResetSchema } from './schemas';
import { findPasswordReset, requestPasswordReset, resetPassword } from './service';
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
    const { email } = c.req.valid('form');
    const { mail } = await requestPasswordReset(c.var.db, {
      email,
      tokenSecret: c.var.config.TOKEN_SECRET,
      now: Date.now(),
    });
    if (mail) c.executionCtx.waitUntil(enqueueMail(c.env, [mail]));
    return renderPage(c, 'Check your email', <ResetRequestSent />);
  },
);

function linkUnusable(c: Ctx) {
  return renderPage(c, 'This link no longer works', <ResetLinkUnusable />, 410);
}

passwordResetRoutes.get('/password-reset/:token', async (c) => {
  const token = c.req.param('token');
  if (!isUuid(token)) return renderNotFound(c);
  const reset = await runPlan(c.var.db, findPasswordReset(token, Date.now()));
  if (!reset) return linkUnusable(c);
  return renderPage(c, 'Choose a new password', <NewPasswordForm token={token} />);
});

passwordResetRoutes.post(
  '/password-reset/:token',
  rateLimit('AUTH_LIMITER', 'password-reset'),
  formValidator(passwordResetSchema, (c: Ctx, errors) => {
    const token = c.req.param('token');
    if (!isUuid(token)) return renderNotFound(c);
    return renderPage(c, 'Choose a new password', <NewPasswordForm token={token} errors={errors} />, 422);
  }),
  async (c) => {
    const token = c.req.param('token');
    if (!isUuid(token)) return renderNotFound(c);
    const now = Date.now();
    const reset = await runPlan(c.var.db, findPasswordReset(token, now));
    if (!reset) return linkUnusable(c);
    const result = await resetPassword(c.var.db, reset, c.req.valid('form').new_password, now);
    if (!result.ok && result.reason === 'policy') {
      const errors = { new_password: result.message };
      return renderPage(c, 'Choose a new password', <NewPasswordForm token={token} errors={errors} />, 422);
    }
    if (!result.ok) return linkUnusable(c);
    // No automatic sign-in: whoever holds the link still has to know the new password.
    return c.redirect('/login?notice=password-reset', 303);
  },
);
