/** @module accounts/avatars — profile pictures in the AVATARS bucket, recognised by their bytes, not their name. */
import { and, eq, isNull, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { plan } from '../db/plan';
import { users, type User } from '../db/schema';
import { isUuid } from '../lib/crypto';

export const AVATAR_MAX_BYTES = 512 * 1024;

export type ImageType = 'image/png' | 'image/jpeg' | 'image/webp';

/** The image type from the file's magic bytes; the browser's claimed content type is never trusted. */
export function detectImageType(bytes: Uint8Array): ImageType | null {
  const starts = (sig: readonly number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  return null;
}

export type AvatarUpload = { ok: true } | { ok: false; reason: 'too-large' | 'not-an-image' | 'missing' };

function avatarKey(userId: string): string {
  return `avatars/${userId}/${crypto.randomUUID()}`;
}

/** Only keys this module writes are served back: `avatars/<user uuid>/<uuid>`. */
export function isAvatarKeyOf(userId: string, key: string | null): key is string {
  if (!key) return false;
  const [prefix, owner, name] = key.split('/');
  return prefix === 'avatars' && owner === userId && isUuid(name);
}

/**
 * Stores the new picture, points the user at it and removes the old object. The row changes only if nobody
 * replaced the picture meanwhile; otherwise the new object is removed again and the other upload wins.
 */
export async function replaceAvatar(
  db: Db,
  bucket: R2Bucket,
  user: Pick<User, 'id' | 'avatarKey'>,
  file: File | null,
): Promise<AvatarUpload> {
  if (!file || file.size === 0) return { ok: false, reason: 'missing' };
  if (file.size > AVATAR_MAX_BYTES) return { ok: false, reason: 'too-large' };
  const bytes = new Uint8Array(await file.arrayBuffer());
  const type = detectImageType(bytes);
  if (!type) return { ok: false, reason: 'not-an-image' };
  const key = avatarKey(user.id);
  await bucket.put(key, bytes, { httpMetadata: { contentType: type } });
  const updated = await db
    .update(users)
    .set({ avatarKey: key })
    .where(and(eq(users.id, user.id), sameKey(user.avatarKey)))
    .returning({ id: users.id });
  if (updated.length === 0) {
    await bucket.delete(key);
    return { ok: true };
  }
  if (user.avatarKey) await bucket.delete(user.avatarKey);
  return { ok: true };
}

/** Back to initials. */
export async function removeAvatar(db: Db, bucket: R2Bucket, user: Pick<User, 'id' | 'avatarKey'>): Promise<void> {
  if (!user.avatarKey) return;
  const updated = await db
    .update(users)
    .set({ avatarKey: null })
    .where(and(eq(users.id, user.id), sameKey(user.avatarKey)))
    .returning({ id: users.id });
  if (updated.length > 0) await bucket.delete(user.avatarKey);
}

function sameKey(key: string | null): SQL {
  return key === null ? isNull(users.avatarKey) : eq(users.avatarKey, key);
}

/** A user's picture key (any signed-in user may see it), or null. */
export function findAvatarKey(userId: string) {
  return plan(
    (db) => [db.select({ avatarKey: users.avatarKey }).from(users).where(eq(users.id, userId)).limit(1)] as const,
    ([rows]) => rows[0]?.avatarKey ?? null,
  );
}
