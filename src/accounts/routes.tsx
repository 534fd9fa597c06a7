/** @module accounts/routes — sign-in, sign-out, profile and password reset. */
import { Hono } from 'hono/tiny';
import type { AppEnv } from '../env';
import { passwordResetRoutes } from './password-reset-routes';
import { profileRoutes } from './profile-routes';
import { signInRoutes } from './sign-in-routes';

export const accountRoutes = new Hono<AppEnv>();

accountRoutes.route('/', signInRoutes);
accountRoutes.route('/', profileRoutes);
accountRoutes.route('/', passwordResetRoutes);
