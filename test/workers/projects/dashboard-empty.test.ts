import { describe, expect, it } from 'vitest';
import { send, signedIn } from '../helpers';

// Its own file so the database holds no project at all.
describe('dashboard on a database without projects', () => {
  it('invites a manager to create the first project', async () => {
    const { cookie } = await signedIn({ role: 'MANAGER' });
    const html = await (await send('/', { cookie })).text();
    expect(html).toContain('Create your first project');
    expect(html).toMatch(
      /<a href="\/projects\/new" role="button" hx-get="\/projects\/new" hx-target="#dialog">Create your first project<\/a>/,
    );
    expect(html).not.toContain('All projects');
  });

  it('tells a member to ask a manager', async () => {
    const { cookie } = await signedIn();
    const html = await (await send('/', { cookie })).text();
    expect(html).toContain('You are not in any project yet. Ask a manager to add you.');
    expect(html).not.toContain('Create your first project');
  });
});
