/** @module accounts/profile-routes — the profile modal: name, notifications, picture and password. */
import { scryptParams } from '../auth/passwords';
import { Hono } from 'hono/tiny';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { User } from '../db/schema';
import { readDeviceCookie } from '../auth/device-cookie';
import { findOwnThrottles, isLocked, throttleKey } from '../auth/lockout';
import type { AppEnv } from '../env';
import { isUuid } from '../lib/crypto';
import { rateLimit } from '../middleware/rate-limit';
import { authenticate } from '../auth/authenticate';
import type { FieldErrors } from '../views/fields';
import { UserChip } from '../views/layout';
import { formValidator } from '../web/forms';
import { validParams } from '../web/params';
import { modalDoneOrRedirect } from '../web/htmx';
import { render, renderModal, renderNotFound } from '../web/render';
import { AVATAR_MAX_BYTES, findAvatarKey, isAvatarKeyOf, removeAvatar, replaceAvatar } from './avatars';
import { passwordChangeSchema, profileSchema } from './schemas';
import { changePassword, updateProfile } from './service';
import { ProfileBody, type ProfileProps } from './views/profile';

type Ctx = Context<AppEnv>;

export const profileRoutes = new Hono<AppEnv>();

const AVATAR_TOO_LARGE = 'This picture is larger than 512 KB. Choose a smaller one.';

/** Fixed messages chosen by key, so a link cannot make the page say anything else. */
const PROFILE_NOTICES: Record<string, string> = {
  profile: 'Your profile was saved.',
  avatar: 'Your picture was updated.',
  password: 'Your password was changed. Your other sessions were signed out.',
};

function renderProfile(c: Ctx, props: ProfileProps, status: ContentfulStatusCode = 200) {
  return renderModal(c, { title: 'Your profile', body: <ProfileBody {...props} /> }, status);
}

/** The modal contract's success: 204 + events for htmx (the header chip refreshes), a redirect without it. */
function profileSaved(c: Ctx, notice: keyof typeof PROFILE_NOTICES) {
  return modalDoneOrRedirect(c, { profileUpdated: null }, `/profile?notice=${notice}`);
}

async function invalidProfileForm(c: Ctx, errors: FieldErrors, values: Record<string, string>) {
  const { user } = await authenticate(c);
  return renderProfile(c, { user, errors, values }, 422);
}

profileRoutes.get('/profile', async (c) => {
  const { user } = await authenticate(c);
  return renderProfile(c, { user, notice: PROFILE_NOTICES[c.req.query('notice') ?? ''] });
});

profileRoutes.get('/profile/chip', async (c) => {
  const { user } = await authenticate(c);
  return render(c, { title: 'Your profile', partial: <UserChip user={user} /> });
});

profileRoutes.post('/profile', formValidator(profileSchema, invalidProfileForm), async (c) => {
  const form = c.req.valid('form');
  await authenticate(
    c,
    updateProfile({
      name: form.name,
      notifyEmail: form.notify_email,
      notifyAssigned: form.notify_assigned,
      notifyMentioned: form.notify_mentioned,
      notifyWatched: form.notify_watched,
      notifyReminders: form.notify_reminders,
    }),
  );
  return profileSaved(c, 'profile');
});

profileRoutes.post(
  '/profile/password',
  rateLimit('AUTH_LIMITER', 'password-change'),
  // Password fields are never echoed back: only the errors are.
  formValidator(passwordChangeSchema, (c: Ctx, errors) => invalidProfileForm(c, errors, {})),
  async (c) => {
    const form = c.req.valid('form');
    const device = readDeviceCookie(c);
    const { user, session, out: throttles } = await authenticate(c, findOwnThrottles(device));
    const key = throttleKey(device, user.id, user.email);
    const now = Date.now();
    const result = await changePassword(c.get('db'), {
      user,
      sessionId: session.id,
      current: form.current_password,
      next: form.new_password,
      throttle: { key, locked: isLocked(throttles, key, now) },
      now,
      hashing: scryptParams(c.get('config').PASSWORD_HASH_COST),
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

profileRoutes.post(
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
    const result = await replaceAvatar(c.get('db'), c.env.AVATARS, user, await readAvatarFile(c));
    if (result.ok) return profileSaved(c, 'avatar');
    if (result.reason === 'too-large') return avatarRefused(c, user, AVATAR_TOO_LARGE, 413);
    if (result.reason === 'missing') return avatarRefused(c, user, 'Choose a picture to upload.', 422);
    return avatarRefused(c, user, 'This file is not a PNG, JPEG or WebP picture.', 422);
  },
);

profileRoutes.post('/profile/avatar/remove', async (c) => {
  const { user } = await authenticate(c);
  await removeAvatar(c.get('db'), c.env.AVATARS, user);
  return profileSaved(c, 'avatar');
});

const SERVED_IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp']);

profileRoutes.get('/avatars/:userId', validParams({ userId: isUuid }), async (c) => {
  const userId = c.req.param('userId');
  const { out: key } = await authenticate(c, findAvatarKey(userId));
  if (!isAvatarKeyOf(userId, key)) return renderNotFound(c);
  const object = await c.env.AVATARS.get(key);
  if (!object) return renderNotFound(c);
  const type = object.httpMetadata?.contentType ?? '';
  return c.body(object.body, 200, {
    'Content-Type': SERVED_IMAGE_TYPES.has(type) ? type : 'application/octet-stream',
    'Cache-Control': 'private, max-age=86400',
    'X-Content-Type-Options': 'nosniff',
  });
});
