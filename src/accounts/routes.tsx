/** @module accounts/routes — sign-in, sign-out, profile and password reset. */
import { Hono } from 'hono';
import type { AppEnv } from '../env';

export const accountRoutes = new Hono<AppEnv>();
