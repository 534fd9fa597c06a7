/** @module accounts/sign-in-routes — the sign-in page and form, and sign-out. */
import { scryptParams } from '../auth/passwords';
import { Hono } from 'hono/tiny';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { readDeviceCookie, setDeviceCookie } from '../auth/device-cookie';
import type { AppEnv } from '../env';
import { rateLimit } from '../middleware/rate-limit';
import { authenticate, signInRequired } from '../auth/authenticate';
import { deleteSessionTokenCookie, setSessionTokenCookie } from '../auth/cookies';
import { formValidator } from '../web/forms';
import { clientRedirect, htmxOrRedirect } from '../web/htmx';
import { safeNextPath } from '../web/redirects';
import { renderError, renderPage } from '../web/render';
import { signInSchema } from './schemas';
import { signIn, signOut } from './service';
import { SignInForm, type SignInFormProps } from './views/sign-in';

type Ctx = Context<AppEnv>;

export const signInRoutes = new Hono<AppEnv>();

export const SIGN_IN_FAILED = 'Email or password is incorrect.';
/** The same words whether or not the address has an account (the lock is counted per address either way). */
export const SIGN_IN_LOCKED = 'Too many failed attempts. Wait 15 minutes and try again, or reset your password.';

/** Fixed messages chosen by key, so a link cannot make the page say anything else. */
const SIGN_IN_NOTICES: Record<string, string> = {
  'signed-out': 'You are signed out.',
  'password-reset': 'Your password was changed. Sign in with the new one.',
};

/** A navigation after a form: a 303 for a plain form post, HX-Redirect when htmx sent it. */
function redirectTo(c: Ctx, path: string) {
  return htmxOrRedirect(c, path, () => {
    clientRedirect(c, path);
    return c.body(null, 204);
  });
}

function renderSignIn(c: Ctx, props: SignInFormProps, status: ContentfulStatusCode = 200) {
  return renderPage(c, 'Sign in', <SignInForm {...props} />, status);
}

signInRoutes.get('/login', async (c) => {
  const next = safeNextPath(c.req.query('next'));
  if ((await authenticate(c, undefined, 'optional')).user) return c.redirect(next, 303);
  return renderSignIn(c, { next, notice: SIGN_IN_NOTICES[c.req.query('notice') ?? ''] });
});

signInRoutes.post(
  '/login',
  rateLimit('AUTH_LIMITER', 'login'),
  formValidator(signInSchema, (c: Ctx, errors, values) =>
    renderSignIn(c, { email: values.email, next: safeNextPath(values.next), errors }, 422),
  ),
  async (c) => {
    const form = c.req.valid('form');
    const next = safeNextPath(form.next);
    const result = await signIn(c.get('db'), {
      email: form.email,
      password: form.password,
      now: Date.now(),
      device: readDeviceCookie(c),
      previous: c.get('sessionToken'),
      hashing: scryptParams(c.get('config').PASSWORD_HASH_COST),
    });
    if (!result.ok) {
      const message = result.reason === 'locked' ? SIGN_IN_LOCKED : SIGN_IN_FAILED;
      return renderSignIn(c, { email: form.email, next, errors: { _form: message } }, 422);
    }
    setSessionTokenCookie(c, result.token);
    setDeviceCookie(c, result.device);
    return redirectTo(c, next);
  },
);

signInRoutes.post('/logout', async (c) => {
  const token = c.get('sessionToken');
  if (!token) throw signInRequired(c);
  // The check and the delete share one batch; a session that is already gone just leads to sign-in.
  await authenticate(c, signOut(token));
  deleteSessionTokenCookie(c);
  // Pages of the session may still sit in the browser's caches (a cached avatar, the back-forward cache).
  c.header('Clear-Site-Data', '"cache"');
  return redirectTo(c, '/login?notice=signed-out');
});

// Signing out changes state, so it is never done by a GET (a link or an image could trigger it).
signInRoutes.get('/logout', (c) => {
  c.header('Allow', 'POST');
  return renderError(c, 405, 'Use the sign-out button', 'Signing out needs the "Sign out" button in the header.');
});
