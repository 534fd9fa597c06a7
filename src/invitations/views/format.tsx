/** @module invitations/views/format — labels as the invitation pages show them. */
import type { Role } from '../../db/schema';

export const ROLE_LABELS: Record<Role, string> = { MEMBER: 'Member', MANAGER: 'Manager' };
