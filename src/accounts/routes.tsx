/** @module accounts/routes — sign-in, sign-out, profile and password reset. */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { User } from '../db/schema';
import type { AppEnv } from '../env';
import { isUuid } from '../lib/crypto';
import { enqueueMail } from '../mail/producer';
import { rateLimit } from '../middleware/rate-limit';
import {
  authenticate,
  currentUser,
  deleteSessionCookie,
  setSessionCookie,
  signInRequired,
} from '../middleware/session';
import { notFoundMessage, renderError } from '../views/error-page';
import type { FieldErrors } from '../views/fields';
import { UserChip } from '../views/layout';
import { formValidator } from '../web/forms';
import { clientRedirect, isHtmx, modalDone, varyOnHtmx } from '../web/htmx';
import { safeNextPath } from '../web/redirects';
import { render, renderModal, renderPage } from '../web/render';
import { AVATAR_MAX_BYTES, avatarKeyOf, isAvatarKeyOf, removeAvatar, replaceAvatar } from './avatars';
import {
  passwordChangeSchema,
  passwordResetRequestSchema,
  passwordResetSchema,
  profileSchema,
  signInSchema,
} from './schemas';
import {
  changePassword,
  findPasswordReset,
  requestPasswordReset,
  resetPassword,
  signIn,
  signOut,
  updateProfile,
} from './service';
import { NewPasswordForm, ResetLinkUnusable, ResetRequestForm, ResetRequestSent } from './views/password-reset';
import { ProfileBody, type ProfileProps } from './views/profile';
import { SignInForm, type SignInFormProps } from './views/sign-in';

type Ctx = Context<AppEnv>;

export const accountRoutes = new Hono<AppEnv>();

export const SIGN_IN_FAILED = 'Email or password is incorrect.';
export const SIGN_IN_LOCKED =
  'Too many failed attempts for this account. Wait 15 minutes and try again, or reset your password.';
const AVATAR_TOO_LARGE = 'This picture is larger than 512 KB. Choose a smaller one.';

/** Fixed messages chosen by key, so a link cannot make the page say anything else. */
const SIGN_IN_NOTICES: Record<string, string> = {
  'signed-out': 'You are signed out.',
  'password-reset': 'Your password was changed. Sign in with the new one.',
};
const PROFILE_NOTICES: Record<string, string> = {
  profile: 'Your profile was saved.',
  avatar: 'Your picture was updated.',
  password: 'Your password was changed. Your other sessions were signed out.',
};

/** A navigation after a form: a 303 for a plain form post, HX-Redirect when htmx sent it. */
function redirectTo(c: Ctx, path: string) {
  varyOnHtmx(c);
  if (isHtmx(c)) {
    clientRedirect(c, path);
    return c.body(null, 204);
  }
  return c.redirect(path, 303);
}

function notFound(c: Ctx) {
  return renderError(c, 404, 'Not found', notFoundMessage);
}

// Sign-in and sign-out.

function renderSignIn(c: Ctx, props: SignInFormProps, status: ContentfulStatusCode = 200) {
  return renderPage(c, 'Sign in', <SignInForm {...props} />, status);
}

accountRoutes.get('/login', async (c) => {
  const next = safeNextPath(c.req.query('next'));
  if (await currentUser(c)) return c.redirect(next, 303);
  return renderSignIn(c, { next, notice: SIGN_IN_NOTICES[c.req.query('notice') ?? ''] });
});

accountRoutes.post(
  '/login',
  rateLimit('AUTH_LIMITER', 'login'),
  formValidator(signInSchema, (c: Ctx, errors, values) =>
    renderSignIn(c, { email: values.email, next: safeNextPath(values.next), errors }, 422),
  ),
  async (c) => {
    const form = c.req.valid('form');
    const next = safeNextPath(form.next);
    const result = await signIn(c.var.db, {
      email: form.email,
      password: form.password,
      now: Date.now(),
      previous: c.var.sessionToken,
    });
    if (!result.ok) {
      const message = result.reason === 'locked' ? SIGN_IN_LOCKED : SIGN_IN_FAILED;
      return renderSignIn(c, { email: form.email, next, errors: { _form: message } }, 422);
    }
    setSessionCookie(c, result.token);
    return redirectTo(c, next);
  },
);

accountRoutes.post('/logout', async (c) => {
  const token = c.var.sessionToken;
  if (!token) throw signInRequired(c);
  // The check and the delete share one batch; a session that is already gone just leads to sign-in.
  await authenticate(c, () => [signOut(c.var.db, token)]);
  deleteSessionCookie(c);
  return redirectTo(c, '/login?notice=signed-out');
});

// Signing out changes state, so it is never done by a GET (a link or an image could trigger it).
accountRoutes.get('/logout', (c) => {
  c.header('Allow', 'POST');
  return renderError(c, 405, 'Use the sign-out button', 'Signing out needs the "Sign out" button in the header.');
});

// Profile.

function renderProfile(c: Ctx, props: ProfileProps, status: ContentfulStatusCode = 200) {
  return renderModal(c, { title: 'Your profile', body: <ProfileBody {...props} /> }, status);
}

/** The modal contract's success: 204 + events for htmx (the header chip refreshes), a redirect without it. */
function profileSaved(c: Ctx, notice: keyof typeof PROFILE_NOTICES) {
  varyOnHtmx(c);
  if (isHtmx(c)) return modalDone(c, { profileUpdated: null });
  return c.redirect(`/profile?notice=${notice}`, 303);
}

async function invalidProfileForm(c: Ctx, errors: FieldErrors, values: Record<string, string>) {
  const { user } = await authenticate(c);
  return renderProfile(c, { user, errors, values }, 422);
}

accountRoutes.get('/profile', async (c) => {
  const { user } = await authenticate(c);
  return renderProfile(c, { user, notice: PROFILE_NOTICES[c.req.query('notice') ?? ''] });
});

accountRoutes.get('/profile/chip', async (c) => {
  const { user } = await authenticate(c);
  return render(c, { title: 'Your profile', partial: <UserChip user={user} /> });
});

accountRoutes.post('/profile', formValidator(profileSchema, invalidProfileForm), async (c) => {
  const form = c.req.valid('form');
  await authenticate(c, (me) => [updateProfile(c.var.db, me, { name: form.name, notifyEmail: form.notify_email })]);
  return profileSaved(c, 'profile');
});

accountRoutes.post(
  '/profile/password',
  rateLimit('AUTH_LIMITER', 'password-change'),
  // Password fields are never echoed back: only the errors are.
  formValidator(passwordChangeSchema, (c: Ctx, errors) => invalidProfileForm(c, errors, {})),
  async (c) => {
    const form = c.req.valid('form');
    const { user, session } = await authenticate(c);
    const result = await changePassword(c.var.db, {
      user,
      sessionId: session.id,
      current: form.current_password,
      next: form.new_password,
    });
    if (!result.ok) return renderProfile(c, { user, errors: { [result.field]: result.message } }, 422);
    return profileSaved(c, 'password');
  },
);

async function readAvatarFile(c: Ctx): Promise<File | null> {
  try {
    const body = await c.req.parseBody();
    return body['avatar'] instanceof File ? body['avatar'] : null;
  } catch {
    // A malformed multipart body is treated like a form without a file.
    return null;
  }
}

function avatarRefused(c: Ctx, user: User, message: string, status: ContentfulStatusCode) {
  return renderProfile(c, { user, errors: { avatar: message } }, status);
}

accountRoutes.post(
  '/profile/avatar',
  // Room for the multipart envelope around the largest accepted picture; a larger body is refused unread.
  bodyLimit({
    maxSize: AVATAR_MAX_BYTES + 16 * 1024,
    onError: async (c) => {
      const { user } = await authenticate(c as Ctx);
      return avatarRefused(c as Ctx, user, AVATAR_TOO_LARGE, 413);
    },
  }),
  async (c) => {
    const { user } = await authenticate(c);
    const result = await replaceAvatar(c.var.db, c.env.AVATARS, user, await readAvatarFile(c));
    if (result.ok) return profileSaved(c, 'avatar');
    if (result.reason === 'too-large') return avatarRefused(c, user, AVATAR_TOO_LARGE, 413);
    if (result.reason === 'missing') return avatarRefused(c, user, 'Choose a picture to upload.', 422);
    return avatarRefused(c, user, 'This file is not a PNG, JPEG or WebP picture.', 422);
  },
);

accountRoutes.post('/profile/avatar/remove', async (c) => {
  const { user } = await authenticate(c);
  await removeAvatar(c.var.db, c.env.AVATARS, user);
  return profileSaved(c, 'avatar');
});

const SERVED_IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp']);

accountRoutes.get('/avatars/:userId', async (c) => {
  const userId = c.req.param('userId');
  if (!isUuid(userId)) return notFound(c);
  const {
    results: [rows],
  } = await authenticate(c, () => [avatarKeyOf(c.var.db, userId)]);
  const key = rows[0]?.avatarKey ?? null;
  if (!isAvatarKeyOf(userId, key)) return notFound(c);
  const object = await c.env.AVATARS.get(key);
  if (!object) return notFound(c);
  const type = object.httpMetadata?.contentType ?? '';
  return c.body(object.body, 200, {
    'Content-Type': SERVED_IMAGE_TYPES.has(type) ? type : 'application/octet-stream',
    'Cache-Control': 'private, max-age=86400',
    'X-Content-Type-Options': 'nosniff',
  });
});

// Password reset.

/** Pages whose URL carries a token: it must not leak through Referer or stay in a cache. */
function tokenPageHeaders(c: Ctx): void {
  c.header('Referrer-Policy', 'no-referrer');
  c.header('Cache-Control', 'no-store');
}

accountRoutes.get('/password-reset', (c) => renderPage(c, 'Reset your password', <ResetRequestForm />));

accountRoutes.post(
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

accountRoutes.get('/password-reset/:token', async (c) => {
  tokenPageHeaders(c);
  const token = c.req.param('token');
  if (!isUuid(token)) return notFound(c);
  const reset = await findPasswordReset(c.var.db, token, Date.now());
  if (!reset) return linkUnusable(c);
  return renderPage(c, 'Choose a new password', <NewPasswordForm token={token} />);
});

accountRoutes.post(
  '/password-reset/:token',
  rateLimit('AUTH_LIMITER', 'password-reset'),
  formValidator(passwordResetSchema, (c: Ctx, errors) => {
    tokenPageHeaders(c);
    const token = c.req.param('token');
    if (!isUuid(token)) return notFound(c);
    return renderPage(c, 'Choose a new password', <NewPasswordForm token={token} errors={errors} />, 422);
  }),
  async (c) => {
    tokenPageHeaders(c);
    const token = c.req.param('token');
    if (!isUuid(token)) return notFound(c);
    const now = Date.now();
    const reset = await findPasswordReset(c.var.db, token, now);
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
