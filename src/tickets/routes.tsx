/** @module tickets/routes — ticket list, board, ticket modal CRUD, comments and activity. */
import { Hono } from 'hono';
import type { AppEnv } from '../env';

export const ticketRoutes = new Hono<AppEnv>();
