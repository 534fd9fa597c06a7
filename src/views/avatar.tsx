/** @module views/avatar — a user's picture, or their initials when there is none. */
import type { User } from '../db/schema';

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]!, parts[parts.length - 1]!] : parts;
  return letters.map((p) => p[0]!.toUpperCase()).join('') || '?';
}

export function Avatar({ user, size = 32 }: { user: Pick<User, 'id' | 'name' | 'avatarKey'>; size?: number }) {
  if (user.avatarKey) {
    return (
      <img
        class="avatar"
        src={`/avatars/${user.id}?v=${encodeURIComponent(user.avatarKey)}`}
        alt=""
        width={size}
        height={size}
      />
    );
  }
  return (
    <span class="avatar initials" aria-hidden="true" data-size={String(size)}>
      {initials(user.name)}
    </span>
  );
}
