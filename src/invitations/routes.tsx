/** @module invitations/routes — invite modal, invitations list, resend/revoke and the join flow. */
import { Hono } from 'hono';
import type { AppEnv } from '../env';

export const invitationRoutes = new Hono<AppEnv>();
