/** @module invitations/views/format — labels and times as the invitation pages show them. */
import type { Role } from '../../db/schema';

export const ROLE_LABELS: Record<Role, string> = { MEMBER: 'Member', MANAGER: 'Manager' };

/** `2026-05-04 13:07 UTC`: the same text for every viewer (there is no per-user time zone yet). */
export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function TimeText({ ms }: { ms: number }) {
  return <time datetime={new Date(ms).toISOString()}>{formatTime(ms)}</time>;
}
