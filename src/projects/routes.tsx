/** @module projects/routes — dashboard, project CRUD and members. */
import { Hono } from 'hono';
import { authenticate } from '../middleware/session';
import type { AppEnv } from '../env';
import { renderPage } from '../web/render';

export const projectRoutes = new Hono<AppEnv>();

projectRoutes.get('/', async (c) => {
  const { user } = await authenticate(c);
  return renderPage(
    c,
    'Your projects',
    <section>
      <h1>Your projects</h1>
      <p>Hello {user.name}. You are not a member of any project yet.</p>
    </section>,
  );
});
