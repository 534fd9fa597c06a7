/** @module mail/routes — the development-only outbox page (`/dev/mail`); absent in production. */
import { Hono } from 'hono';
import type { AppEnv } from '../env';

export const devMailRoutes = new Hono<AppEnv>();
